"""Invitations by email, of every kind, in one flow: invite (refusing one that would be
pointless), list, cancel, open from the link's token, and accept.

An organisation's owner invites members and an administrator invites a commissioner's contract
managers the same way; what differs between kinds is one row of ``KINDS``: why a person cannot
be invited (already a member or manager, a commissioner no longer listed), what accepting gives
them (a Membership, or a ContractManager restored or made) and the email carrying the link. A
new kind (a charter's assessors and administrators) is a new row, not a copy of the flow. The
link's rules (expiry, who may accept) are ``invitation_tokens``'.

Every link is signed with one salt and names its row. Contract manager links sent before the
two tables were merged were signed with their own salt and name the row's old id, kept as
``legacy_id``: they still open their invitation until they expire.

Functions add to the session and flush when they need ids; the view commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import (
    Commissioner,
    ContractManager,
    Invitation,
    Membership,
    Organisation,
    User,
)
from charter.models.base import utcnow
from charter.models.invitation import CONTRACT_MANAGER, MEMBER, TARGET_COLUMNS
from charter.models.organisation import CONTRIBUTOR
from charter.services import notices
from charter.services.domain import invitation_tokens
from charter.services.domain.invitation_tokens import InvitationLinkError
from charter.services.domain.refusals import Refused

SALT = "invitation"  # the salt organisation invitations always had, so their links still work
LEGACY_MANAGER_SALT = "contract-manager-invitation"  # contract manager links sent before


class InvitationRefused(Refused):
    """An invitation that may not be sent or accepted; the message says why."""


# --- what each kind of invitation is to -------------------------------------------------------


def _membership(invitation: Invitation, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.organisation_id == invitation.organisation_id,
            Membership.user_id == user.id,
        )
    )


def _member_refusal(organisation: Organisation, email: str) -> str | None:
    member = db.session.scalar(
        select(Membership.id)
        .join(Membership.user)
        .where(
            Membership.organisation_id == organisation.id,
            func.lower(User.email) == email.lower(),
        )
    )
    return None if member is None else f"{email} is already a member of {organisation.name}"


def _join(invitation: Invitation, user: User) -> Membership:
    """A contributor (or the membership they already have)."""
    membership = _membership(invitation, user)
    if membership is None:
        membership = Membership(
            user_id=user.id, organisation_id=invitation.organisation_id, role=CONTRIBUTOR
        )
        db.session.add(membership)
    return membership


def _manager(invitation: Invitation, user: User) -> ContractManager | None:
    return db.session.scalar(
        select(ContractManager).where(
            ContractManager.commissioner_id == invitation.commissioner_id,
            ContractManager.user_id == user.id,
        )
    )


def _manager_refusal(commissioner: Commissioner, email: str) -> str | None:
    if not commissioner.is_active:
        return f"{commissioner.name} is no longer on the list. Reactivate it first"
    manager = db.session.scalar(
        select(ContractManager.id)
        .join(ContractManager.user)
        .where(
            ContractManager.commissioner_id == commissioner.id,
            ContractManager.removed_at.is_(None),
            func.lower(User.email) == email.lower(),
        )
    )
    if manager is None:
        return None
    return f"{email} is already a contract manager for {commissioner.name}"


def _become_manager(invitation: Invitation, user: User) -> ContractManager:
    """A contract manager: a new row, the current one, or the removed one back (its history
    stays in the audit trail)."""
    manager = _manager(invitation, user)
    if manager is None:
        manager = ContractManager(
            commissioner_id=invitation.commissioner_id,
            user_id=user.id,
            invited_by_id=invitation.invited_by_id,
        )
        db.session.add(manager)
    elif manager.removed_at is not None:
        manager.removed_at = None
        manager.invited_by_id = invitation.invited_by_id
    return manager


def _is_manager(invitation: Invitation, user: User) -> bool:
    manager = _manager(invitation, user)
    return manager is not None and manager.removed_at is None


@dataclass(frozen=True)
class Kind:
    refusal: Callable  # (target, email) -> why they cannot be invited, or None
    grant: Callable  # (invitation, user) -> what accepting gives them
    holds: Callable  # (invitation, user) -> whether they already have it
    send: Callable  # the notice: (target, email, invited_by, token, *, valid_days)


# What differs between kinds; the column naming each kind's target is the model's TARGET_COLUMNS.
KINDS = {
    MEMBER: Kind(
        refusal=_member_refusal,
        grant=_join,
        holds=lambda invitation, user: _membership(invitation, user) is not None,
        send=notices.organisations.invited,
    ),
    CONTRACT_MANAGER: Kind(
        refusal=_manager_refusal,
        grant=_become_manager,
        holds=_is_manager,
        send=notices.contracts.manager_invited,
    ),
}


def _to(kind: str, target):
    """The condition: invitations of ``kind`` to ``target``."""
    column = getattr(Invitation, TARGET_COLUMNS[kind])
    return (Invitation.kind == kind) & (column == target.id)


# --- listing ----------------------------------------------------------------------------------


def _open():
    return (Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))


def open_invitations_to(kind: str, target) -> list[Invitation]:
    """Invitations to ``target`` not accepted or cancelled, expired ones included (the page
    says so), inviters loaded."""
    return list(
        db.session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.invited_by))
            .where(_to(kind, target), *_open())
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def open_invitations_for(email: str, kind: str) -> list[Invitation]:
    """Invitations of ``kind`` to ``email`` that can still be accepted, targets loaded."""
    return list(
        db.session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.organisation), joinedload(Invitation.commissioner))
            .where(
                Invitation.kind == kind,
                func.lower(Invitation.email) == email.lower(),
                *_open(),
                Invitation.created_at >= invitation_tokens.cutoff(),
            )
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


# --- links ------------------------------------------------------------------------------------


def token_for(invitation: Invitation) -> str:
    return invitation_tokens.token_for(invitation, SALT)


def from_token(token: str) -> Invitation:
    """The invitation the link names, its target and inviter loaded; or InvitationLinkError
    when the link is broken, too old, or names no row."""
    try:
        where = Invitation.id == invitation_tokens.id_from_token(token, SALT)
    except InvitationLinkError as error:
        if error.expired:
            raise
        # A contract manager link emailed before the tables were merged, or a broken one.
        legacy_id = invitation_tokens.id_from_token(token, LEGACY_MANAGER_SALT)
        where = (Invitation.kind == CONTRACT_MANAGER) & (Invitation.legacy_id == legacy_id)
    invitation = db.session.scalar(
        select(Invitation)
        .options(
            joinedload(Invitation.organisation),
            joinedload(Invitation.commissioner),
            joinedload(Invitation.invited_by),
        )
        .where(where)
    )
    if invitation is None:
        raise InvitationLinkError(expired=False)
    return invitation


# --- inviting, cancelling, accepting ----------------------------------------------------------


def invite(kind: str, target, email: str, invited_by: User) -> Invitation:
    """Record an invitation to ``target`` and queue its email; InvitationRefused if it would
    be pointless (they have it already, or an open invitation waits)."""
    email = email.strip()
    refused = KINDS[kind].refusal(target, email)
    if refused is not None:
        raise InvitationRefused(refused)
    already_invited = db.session.scalar(
        select(Invitation.id).where(
            _to(kind, target),
            func.lower(Invitation.email) == email.lower(),
            *_open(),
            Invitation.created_at >= invitation_tokens.cutoff(),
        )
    )
    if already_invited is not None:
        raise InvitationRefused(
            f"{email} has already been invited. Cancel that invitation to send a new one"
        )
    invitation = Invitation(
        kind=kind, email=email, invited_by_id=invited_by.id, **{TARGET_COLUMNS[kind]: target.id}
    )
    db.session.add(invitation)
    db.session.flush()
    KINDS[kind].send(
        target, email, invited_by, token_for(invitation), valid_days=invitation_tokens.valid_days()
    )
    return invitation


def cancel(kind: str, target, invitation_id: int) -> Invitation | None:
    """Cancel an open invitation to ``target``; None if there is no such invitation."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, _to(kind, target))
    )
    if invitation is None or not invitation.is_open:
        return None
    invitation.cancelled_at = utcnow()
    return invitation


def accept(invitation: Invitation, user: User):
    """Accept for ``user``: what the kind gives them (a Membership, a ContractManager), made
    or found; InvitationRefused if it is no longer open, too old, or for another address."""
    refused = invitation_tokens.refusal(invitation, user)
    if refused is not None:
        raise InvitationRefused(refused)
    invitation.accepted_at = utcnow()
    return KINDS[invitation.kind].grant(invitation, user)


def holds(invitation: Invitation, user: User) -> bool:
    """Whether ``user`` has what the invitation gives (after two acceptances at once, the
    other one's)."""
    return KINDS[invitation.kind].holds(invitation, user)
