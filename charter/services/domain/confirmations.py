"""The annual confirmation: once a year, on the anniversary of signing, a signatory's owner
confirms on a page that the organisation still commits to the charter's principles (and
updates its details if they changed). Not confirmed within the scheme's window: a dated warning,
then the organisation lapses (a holder's Charter Mark is suspended instead, until confirmed)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from charter.extensions import db
from charter.models import Membership, Organisation, Scheme, Signature, User
from charter.models.base import utcnow
from charter.models.duties import AnnualConfirmation
from charter.models.organisation import OWNER
from charter.services.domain import duties, publishing, signings
from charter.services.domain.marks import add_months
from workflows import lifecycle
from workflows.lifecycle import Forbidden, TransitionRefused

# Signed and not lapsed, withdrawn or suspended by an administrator (the signatory's duties,
# whatever the state of its Mark).
CONFIRMING_STATES = lifecycle.LAPSABLE


def last_anniversary(signed_on: date, today: date) -> date | None:
    """The latest anniversary of signing on or before today (29 February signs fall on 28
    February in other years); None in the first year."""
    years = today.year - signed_on.year
    anniversary = add_months(signed_on, 12 * years)
    if anniversary > today:
        years -= 1
        anniversary = add_months(signed_on, 12 * years)
    return anniversary if years >= 1 else None


def latest_signatures():
    """Each organisation's latest signature of each charter (by the scheme signed), as a
    subquery of (organisation_id, charter_id, signed_at)."""
    return (
        select(
            Signature.organisation_id.label("organisation_id"),
            Scheme.charter_id.label("charter_id"),
            func.max(Signature.signed_at).label("signed_at"),
        )
        .join(Scheme, Scheme.id == Signature.scheme_id)
        .group_by(Signature.organisation_id, Scheme.charter_id)
        .subquery()
    )


def open_confirmation(organisation: Organisation) -> AnnualConfirmation | None:
    """The confirmation waiting for the owner, if any."""
    return db.session.scalar(
        select(AnnualConfirmation)
        .where(
            signings.belongs(AnnualConfirmation, organisation),
            AnnualConfirmation.confirmed_at.is_(None),
        )
        .order_by(AnnualConfirmation.anniversary.desc())
        .limit(1)
    )


def last_confirmed(organisation: Organisation) -> AnnualConfirmation | None:
    return db.session.scalar(
        select(AnnualConfirmation)
        .where(
            signings.belongs(AnnualConfirmation, organisation),
            AnnualConfirmation.confirmed_at.is_not(None),
        )
        .order_by(AnnualConfirmation.anniversary.desc())
        .limit(1)
    )


def is_owner(user: User, organisation: Organisation) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.organisation_id == organisation.id,
                Membership.role == OWNER,
            )
        )
        is not None
    )


def confirm(
    organisation: Organisation,
    user: User,
    today: date | None = None,
    publishes_figures: bool | None = None,
) -> None:
    """The owner confirms the commitment; a system suspension for it lifts if nothing else is
    outstanding. Not committed. Two owners confirming at once: the first wins.

    ``publishes_figures``: the answer to the publishing question, asked with the confirmation
    of an organisation that has never answered it (None: not asked). It is recorded only if the
    confirmation is, in the same transaction."""
    if not is_owner(user, organisation):
        raise Forbidden("Only an owner of the organisation can confirm its commitment.")
    pending = open_confirmation(organisation)
    if pending is None:
        raise TransitionRefused("There is no annual confirmation waiting for you.")
    if organisation.status not in CONFIRMING_STATES:
        raise TransitionRefused(
            "You cannot confirm the commitment while the organisation is "
            f"‘{lifecycle.STATE_LABELS.get(organisation.status, organisation.status)}’."
        )
    claimed = db.session.execute(
        update(AnnualConfirmation)
        .where(AnnualConfirmation.id == pending.id, AnnualConfirmation.confirmed_at.is_(None))
        .values(confirmed_at=utcnow(), confirmed_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise TransitionRefused("Someone else confirmed the commitment while you were working.")
    db.session.refresh(pending)
    if publishes_figures is not None:
        publishing.decide(
            organisation,
            publishes_figures,
            pending.confirmed_at,
            actor_id=user.id,
            actor_label=user.full_name,
        )
    duties.reinstate_if_met(organisation, today)
