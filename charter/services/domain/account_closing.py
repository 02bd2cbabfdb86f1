"""Closing an account: by its holder, by an administrator on request, or by the retention job.

The row stays, because everything the person did names it (signatures, decisions, the audit
trail), but nothing in it identifies them any more: the name becomes "Former member", the email
address an undeliverable placeholder, the password unusable, and every session ends at once
(the user loader also refuses any closed account). Their memberships, the invitations and
emails addressed to them and any copy of their information are deleted.

The audit trail is append-only, and stays so for everything but this: each row's ``actor_label``
copied the person's name when it was written, so it is rewritten to "Former member" here, in one
statement that does not go through the ORM's refusal. What was done, when and to what stays.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import (
    AuditEvent,
    ContractManager,
    ContractMonitoringEvent,
    DataExport,
    Invitation,
    Membership,
    Organisation,
    OutboxEmail,
    Signature,
    Signing,
    User,
)
from charter.models.base import utcnow
from charter.models.organisation import OWNER
from charter.services.domain import staff
from charter.services.domain.refusals import Refused
from workflows.lifecycle import LAPSED, WITHDRAWN

FORMER_MEMBER = "Former member"
# Not an email address anyone can have ("invalid" is reserved, RFC 2606), unique per account.
CLOSED_EMAIL_DOMAIN = "closed.invalid"
# No argon2 hash looks like this, so check_password is always False.
UNUSABLE_PASSWORD = "!closed"
# States in which an organisation no longer takes part: its owner may leave it behind.
LEFT_STATES = (WITHDRAWN, LAPSED)

REASON_OWN_REQUEST = "Closed by the account holder"
REASON_RETENTION = "Closed by the retention schedule: no organisation left to act for"


class ClosingRefused(Refused):
    """Why the account cannot be closed yet, in words for the person (or the administrator)."""


def organisations_to_hand_on(user: User) -> list[Organisation]:
    """Organisations still taking part of which ``user`` is the only owner: ownership must be
    passed on, or the organisation withdrawn, before the account can close."""
    other = aliased(Membership)
    other_owner = (
        select(other.id)
        .where(
            other.organisation_id == Organisation.id,
            other.role == OWNER,
            other.user_id != user.id,
        )
        .exists()
    )
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == OWNER,
                # Not gone: a signing that has not ended, or none yet (registered).
                or_(
                    exists().where(
                        Signing.organisation_id == Organisation.id,
                        Signing.status.not_in(LEFT_STATES),
                    ),
                    ~exists().where(Signing.organisation_id == Organisation.id),
                ),
                ~other_owner,
            )
            .order_by(Organisation.name, Organisation.id)
        )
    )


def refusal(user: User, *, by: User | None = None) -> str | None:
    """Why the account cannot be closed now, or None. ``by`` is the administrator closing it."""
    if user.is_closed:
        return "This account is already closed"
    if by is not None and by.id == user.id:
        return "You cannot close your own account from here: use your account page"
    if by is None and staff.is_staff_anywhere(user):
        return "A scheme staff account is closed by an administrator: ask another administrator"
    owned = organisations_to_hand_on(user)
    if owned:
        names = ", ".join(organisation.name for organisation in owned)
        who = "They are" if by is not None else "You are"
        return (
            f"{who} the only owner of {names}. Make someone else an owner, or withdraw the "
            "organisation, before the account is closed"
        )
    return None


def close_account(
    user: User,
    *,
    reason: str,
    by: User | None = None,
    now: datetime | None = None,
    checked: bool = True,
) -> None:
    """Close ``user``'s account (the caller commits). Raises ClosingRefused when refusal() says
    so; the retention job passes ``checked=False`` for accounts with no organisation left."""
    if checked:
        problem = refusal(user, by=by)
        if problem:
            raise ClosingRefused(problem)
    now = now or utcnow()
    old_email, old_name = user.email, user.full_name
    user.full_name = FORMER_MEMBER
    user.email = f"closed-{user.id}@{CLOSED_EMAIL_DOMAIN}"
    user.password_hash = UNUSABLE_PASSWORD
    user.email_verified_at = None
    user.reminder_emails = False
    staff.remove_every_role(user, by)  # a closed assessor or administrator is staff no longer
    user.closed_at, user.closed_reason = now, reason
    user.closed_by_id = by.id if by is not None else None
    # Every signed-in session of theirs ends (see charter/auth/user_loader.py).
    user.session_generation = (user.session_generation or 0) + 1
    forget_person(user.id, old_email, old_name, now)


def forget_person(user_id: int, old_email: str, old_name: str, now: datetime) -> None:
    """Remove what names the person outside their own row; the record of what they did stays."""
    session = db.session
    session.execute(delete(Membership).where(Membership.user_id == user_id))
    session.execute(
        update(ContractManager)
        .where(ContractManager.user_id == user_id, ContractManager.removed_at.is_(None))
        .values(removed_at=now)
    )
    session.execute(delete(Invitation).where(func.lower(Invitation.email) == old_email.lower()))
    session.execute(
        delete(OutboxEmail).where(func.lower(OutboxEmail.to_address) == old_email.lower())
    )
    session.execute(delete(DataExport).where(DataExport.subject_id == user_id))
    for model in (AuditEvent, ContractMonitoringEvent):
        session.execute(
            update(model)
            .where(model.actor_id == user_id)
            .values(actor_label=FORMER_MEMBER)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(Signature)
        .where(Signature.signed_by_id == user_id, Signature.signatory_name == old_name)
        .values(signatory_name=FORMER_MEMBER)
        .execution_options(synchronize_session=False)
    )
