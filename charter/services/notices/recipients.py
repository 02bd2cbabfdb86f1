"""Who receives an organisation's mail: every member, read in one query for many
organisations (the scheduled reviews), with whether each has turned reminders off."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from charter.extensions import db
from charter.models import Membership, User
from charter.models.organisation import OWNER
from charter.services.infrastructure.bulk_insert import among


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    full_name: str
    is_owner: bool
    reminders: bool


def recipients_of(organisation_ids) -> dict[int, list[Recipient]]:
    """Every member of each organisation, in one query."""
    rows = db.session.execute(
        select(
            Membership.organisation_id,
            User.id,
            User.email,
            User.full_name,
            Membership.role,
            User.reminder_emails,
        )
        .join(User, User.id == Membership.user_id)
        .where(among(Membership.organisation_id, organisation_ids))
        .order_by(Membership.organisation_id, User.id)
    ).all()
    out: dict[int, list[Recipient]] = defaultdict(list)
    for org_id, user_id, email, name, role, reminders in rows:
        out[org_id].append(Recipient(user_id, email, name, role == OWNER, bool(reminders)))
    return out


def members_of(organisation) -> list[User]:
    """The organisation's members, as people (an email one at a time greets each by name)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id)
            .order_by(User.id)
        )
    )
