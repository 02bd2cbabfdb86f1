"""Every job issue 8 adds or changes is idempotent (run twice: nothing sent or changed twice)
and set-based: the statements it runs grow by a fixed number per organisation at most
(the UPDATE of each organisation whose state changes), measured at two sizes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, Membership, OutboxEmail
from charter.models.duties import AnnualConfirmation
from charter.models.schedule import ScheduledNotice
from charter.services.domain import reviews
from tests.factories import make_mark, make_organisation, make_user, set_stage
from tests.services.domain.duties_helpers import (
    DUE,
    SANCTION_ON,
    holder_with_return,
    send_and_verify,
    signed,
)

SMALL, LARGE = 3, 12


def _organisations(scheme, count):
    out = []
    for _ in range(count):
        owner = make_user()
        organisation = make_organisation(owner=owner, scheme=scheme)
        out.append(organisation)
    return out


def _holders_with_returns(scheme, count):
    return [holder_with_return(o, scheme)[1] for o in _organisations(scheme, count)]


def _suspended_then_verified(scheme, count):
    returns = _holders_with_returns(scheme, count)
    reviews.suspend_marks_for_missed_returns(SANCTION_ON)
    for monitoring_return in returns:
        # Verified, but leave the lifting to the job: undo the immediate lift.
        send_and_verify(monitoring_return)
    return returns


def _renewal_due_marks(scheme, count):
    for organisation in _organisations(scheme, count):
        set_stage(organisation, "renewal_due")
        db.session.commit()
        make_mark(organisation, scheme, awarded_on=date(2024, 3, 1))


def _signatories(scheme, count):
    for organisation in _organisations(scheme, count):
        signed(organisation, datetime(2025, 3, 1, 10))


def _unconfirmed(scheme, count):
    _signatories(scheme, count)
    reviews.annual_review_of_signatories(date(2026, 3, 1))


CASES = {
    # job: (build, day, per-organisation statements allowed)
    "warn_before_sanctions": (_holders_with_returns, SANCTION_ON - timedelta(days=5), 0),
    "suspend_marks_for_missed_returns": (_holders_with_returns, SANCTION_ON, 1),
    "expire_marks": (_renewal_due_marks, date(2026, 3, 2), 2),  # the mark and the organisation
    "annual_review_of_signatories": (_signatories, date(2026, 3, 1), 0),
    "enforce_annual_confirmations": (_unconfirmed, date(2026, 5, 1), 1),
}


def _measure(app, scheme, query_counter, job, size):
    build, day, _ = CASES[job]
    build(scheme, size)
    with query_counter() as statements:
        counts = getattr(reviews, job)(day)
    return statements.value, counts, day


def _state():
    return (
        db.session.scalar(select(func.count()).select_from(OutboxEmail)),
        db.session.scalar(select(func.count()).select_from(ScheduledNotice)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
        db.session.scalar(select(func.count()).select_from(AnnualConfirmation)),
    )


@pytest.mark.parametrize("job", list(CASES))
def test_each_job_is_set_based_and_idempotent(app, scheme, query_counter, job):
    small, small_counts, day = _measure(app, scheme, query_counter, job, SMALL)
    before = _state()
    again = getattr(reviews, job)(day)
    assert _state() == before, "a second run sent or changed something"
    assert all(v == 0 for v in again.values()), again
    acted = sum(v for k, v in small_counts.items() if k != "skipped")
    assert acted == SMALL, small_counts

    # More organisations in the same situation (the first ones are done and stay done).
    large, large_counts, _ = _measure(app, scheme, query_counter, job, LARGE)
    assert sum(v for k, v in large_counts.items() if k != "skipped") == LARGE
    per_organisation = CASES[job][2]
    assert large - small <= per_organisation * (LARGE - SMALL), (small, large)


def test_reinstate_marks_is_set_based_and_idempotent(app, scheme, query_counter, monkeypatch):
    from charter.services.domain import duties

    # Verification lifts a suspension at once; switch that off to leave it to the job.
    monkeypatch.setattr(duties, "reinstate_if_met", lambda *_args, **_kwargs: False)
    values = []
    for size in (SMALL, LARGE):
        _suspended_then_verified(scheme, size)
        with query_counter() as statements:
            counts = reviews.reinstate_marks(SANCTION_ON + timedelta(days=2))
        assert counts["reinstated"] == size
        values.append(statements.value)
        assert reviews.reinstate_marks(SANCTION_ON + timedelta(days=2))["reinstated"] == 0
    assert values[1] - values[0] <= 1 * (LARGE - SMALL)


def test_members_are_read_in_one_query_however_many(app, scheme, query_counter):
    """Emails to many members of many organisations: still a fixed number of statements."""
    values = []
    for size in (SMALL, LARGE):
        returns = _holders_with_returns(scheme, size)
        for r in returns:
            for _ in range(3):
                db.session.add(
                    Membership(user_id=make_user().id, organisation_id=r.organisation_id)
                )
        db.session.commit()
        with query_counter() as statements:
            reviews.warn_before_sanctions(SANCTION_ON - timedelta(days=5))
        values.append(statements.value)
    assert values[0] == values[1]
    assert DUE < SANCTION_ON
