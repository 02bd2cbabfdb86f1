"""Email preferences: a person may turn off reminders (a return falls due, the annual
confirmation is due), never decisions, warnings of suspension or lapse, or sign-in mail.
An organisation always keeps at least one member receiving reminders, so turning them off is
refused to its last one. The unsubscribe link that reminders carry is in ``notices/tokens.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Membership, Organisation, User
from charter.services.domain.refusals import Refused
from charter.services.notices.recipients import recipients_of


class PreferenceRefused(Refused):
    """Turning reminders off would leave an organisation with nobody receiving them."""

    def __init__(self, organisations: list[str]):
        self.organisations = organisations
        names = ", ".join(organisations)
        super().__init__(
            f"You are the only person at {names} who receives reminders. Ask a colleague to turn "
            "reminders on, or invite one, before you turn yours off."
        )


# --- the account page -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRecipients:
    organisation: Organisation
    receiving_reminders: list[str]  # names
    everyone: list[str]


def organisations_of(user: User) -> list[OrganisationRecipients]:
    """For the account page: each of the person's organisations and who receives its mail."""
    organisations = db.session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    members = recipients_of([o.id for o in organisations])
    return [
        OrganisationRecipients(
            organisation,
            [m.full_name for m in members[organisation.id] if m.reminders],
            [m.full_name for m in members[organisation.id]],
        )
        for organisation in organisations
    ]


def _last_reminder_recipient_at(user: User) -> list[str]:
    """Names of the person's organisations where nobody else receives reminders."""
    others = (
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == Organisation.id,
            User.id != user.id,
            User.reminder_emails.is_(True),
        )
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id, others == 0)
            .order_by(Organisation.name)
        )
    )


def set_reminders(user: User, receive: bool) -> None:
    """Turn reminders on or off (not committed); refuses to leave an organisation without."""
    if not receive and user.reminder_emails:
        alone = _last_reminder_recipient_at(user)
        if alone:
            raise PreferenceRefused(alone)
    user.reminder_emails = receive
