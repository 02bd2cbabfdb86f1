"""A pledge reported once a year is due with the return of the year's last quarter, opened by
the scheduled reviews, and that return's reminder names it and the year its figure covers
(issue 21); a quarter's return without one says nothing of it. Worcestershire's real scheme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from charter.models import ContractCommitment, Measure, OutboxEmail
from charter.services.domain import reviews
from tests.factories import make_contract, make_user
from tests.organisation.pledge_helpers import (
    load_worcestershire,
    monitor,
    worcestershire_council,
    worcestershire_supplier,
)

DECIDED = datetime(2026, 7, 2, 9)
QUARTER_REMINDER = date(2026, 10, 24)  # July to September's return, due on 30 October
YEAR_END_REMINDER = date(2027, 1, 24)  # October to December's, due on 30 January 2027
YEARLY = "the figure covers 1 January to 31 December 2026"


def _emails(db, person) -> list[OutboxEmail]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.to_address == person.email)
            .order_by(OutboxEmail.id)
        )
    )


def test_the_years_last_reminder_names_the_yearly_pledge(db, scheme):
    worcestershire = load_worcestershire()
    person = make_user(email="owner@supplier.example", full_name="Olive Owner")
    organisation = worcestershire_supplier(person, worcestershire)
    contract = make_contract(
        organisation,
        worcestershire_council(worcestershire),
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
    )
    di2 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == worcestershire.id, Measure.code == "DI2")
    )
    db.session.add(
        ContractCommitment(
            contract_id=contract.id, measure_id=di2.id, pledge_numbers=[], frequency="annually"
        )
    )
    monitor(organisation, worcestershire, ("CD1",), decided_at=DECIDED)

    quarter = reviews.run_all(QUARTER_REMINDER)
    assert quarter["remind_returns_due"]["due_soon_sent"] == 1, quarter
    [first] = _emails(db, person)
    assert "due on 30 October 2026" in first.subject
    assert "DI2" not in first.body and "longer period" not in first.body

    year_end = reviews.run_all(YEAR_END_REMINDER)
    assert year_end["remind_returns_due"]["due_soon_sent"] == 1, year_end
    # (The quarter's return, never sent, lapsed the signing meanwhile: its email is another.)
    [reminder] = [e for e in _emails(db, person) if "due on 30 January 2027" in e.subject]
    assert f"- DI2: {di2.title} ({YEARLY})" in reminder.body
