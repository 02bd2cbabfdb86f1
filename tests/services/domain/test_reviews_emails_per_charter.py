"""A person in an organisation signed to two charters gets one email per event from the scheduled
reviews (issue 23): the reviews run once per charter, and each charter's run emails about that
charter's signing only, signed by that charter's running body, never once more for the other
charter's run. An event under both charters (the same quarter's return due under each) is two
events, one email each, each naming its own running body."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select

from charter.models import OutboxEmail
from charter.models.signing import acting_in
from charter.services.domain import reviews, signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_approved_plan, make_mark, make_organisation, make_user, set_stage
from tests.public.charter_helpers import second_charter_text
from tests.services.domain.review_helpers import TARGETS

SHROPSHIRE_BODY = "Social Value Group"
WORCESTERSHIRE_BODY = "Worcestershire County Council"
# A plan approved in April: the return for April to June, due on 30 July, is due within the
# seven-day reminder window on this day under both charters, and nothing else is.
DECIDED = datetime(2026, 4, 2, 9)
REMINDER_DAY = date(2026, 7, 24)


def _emails(db, person) -> list[OutboxEmail]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.to_address == person.email)
            .order_by(OutboxEmail.id)
        )
    )


def _signed_by(email: OutboxEmail) -> list[str]:
    return [body for body in (SHROPSHIRE_BODY, WORCESTERSHIRE_BODY) if body in email.body]


def _signed_to_both(db, scheme, person):
    worcestershire = load_scheme_text(second_charter_text()).scheme
    organisation = make_organisation(owner=person, scheme=scheme, status="monitoring")
    signings.start(organisation, worcestershire).status = "monitoring"
    db.session.commit()
    return organisation, worcestershire


def test_the_same_return_due_under_two_charters_is_one_email_per_charter(db, scheme):
    person = make_user(email="owner@example.com", full_name="Olive Owner")
    organisation, worcestershire = _signed_to_both(db, scheme, person)
    for each in (scheme, worcestershire):
        with acting_in(each.charter_id):
            make_approved_plan(organisation, each, TARGETS, decided_at=DECIDED)

    results = reviews.run_all(REMINDER_DAY)

    assert results["open_monitoring_periods"]["returns_opened"] == 2, results
    assert results["remind_returns_due"]["due_soon_sent"] == 2, results
    emails = _emails(db, person)
    assert [_signed_by(e) for e in emails] == [[SHROPSHIRE_BODY], [WORCESTERSHIRE_BODY]]
    assert all("due on 30 July 2026" in e.subject for e in emails)
    # Each names its charter, in the subject and the text, so the two are told apart.
    assert [e.subject.rsplit("(", 1)[-1] for e in emails] == [
        "Social Value Charter for Shropshire)",
        "Worcestershire Commercial Social Value Charter)",
    ]
    # Not the same email twice: each links to its own charter's return.
    assert len({e.body for e in emails}) == 2
    # And the day's second run sends nothing more.
    reviews.run_all(REMINDER_DAY)
    assert len(_emails(db, person)) == 2


def test_an_event_under_one_charter_is_one_email_whatever_else_it_signed(db, scheme):
    """A Shropshire Mark entering its renewal window, in an organisation monitored under
    Worcestershire too: one email, Shropshire's, not one per charter the reviews run for."""
    person = make_user(email="owner@example.com", full_name="Olive Owner")
    organisation, _ = _signed_to_both(db, scheme, person)
    with acting_in(scheme.charter_id):
        set_stage(signings.signing_of(organisation), "accredited")
        db.session.commit()
        today = date(2026, 12, 6)
        make_mark(organisation, scheme, awarded_on=today - timedelta(days=700))

    results = reviews.run_all(today)

    assert results["open_renewal_windows"]["renewals_opened"] == 1, results
    emails = _emails(db, person)
    assert [_signed_by(e) for e in emails] == [[SHROPSHIRE_BODY]], [e.subject for e in emails]
    assert Counter(e.subject for e in emails).most_common(1)[0][1] == 1
