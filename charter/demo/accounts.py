"""The demo accounts `flask charter demo-data` prints and the README lists: each charter's staff
first, then the contract managers, then organisation members with where each of their
organisation's signings stands (an organisation that signed several charters shows each)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select

from charter.demo import charter_features
from charter.demo.contract_monitoring import manager_accounts
from charter.demo.journeys import DEMO_DOMAIN, STAFF
from charter.demo.other_charters import OTHER_STAFF
from charter.extensions import db
from charter.models import Charter, Membership, Organisation, Signing, User
from charter.models.organisation import OWNER
from workflows.lifecycle import STATE_LABELS, stage


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    what_for: str


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts in the database: staff first, then organisation members."""
    staff = [(email, role, what) for email, _, role, what in STAFF]
    staff += [(email, role, what) for email, _, role, what, _ in OTHER_STAFF]
    emails = set(
        db.session.scalars(select(User.email).where(User.email.in_([s[0] for s in staff])))
    )
    accounts = [DemoAccount(*row) for row in staff if row[0] in emails]
    managers = manager_accounts() + charter_features.manager_accounts()
    accounts += [DemoAccount(email, "member", what) for email, what in managers]
    rows = db.session.execute(
        select(
            User.email,
            Membership.role,
            Organisation.name,
            Charter.area,
            Signing.status,
            Signing.mark_status,
        )
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .join(Charter, Charter.id == Signing.charter_id)
        .where(User.email.like(f"%.{DEMO_DOMAIN}"))
        .order_by(Organisation.name, Membership.role.desc(), User.email, Signing.id)
    )
    for (email, member_role, organisation), signed in groupby(rows, key=lambda row: row[:3]):
        label = "Owner" if member_role == OWNER else "Contributor"
        states = [
            (area, STATE_LABELS.get(stage(status, mark), status))
            for *_, area, status, mark in signed
        ]
        if len(states) == 1:
            where = states[0][1]
        else:
            where = "; ".join(f"{area}: {state}" for area, state in states)
        accounts.append(DemoAccount(email, "member", f"{label}, {organisation} ({where})"))
    return accounts
