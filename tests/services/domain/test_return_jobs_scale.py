"""The returns jobs and the renewal window are set-based (issue 9): idempotent, a fixed number
of statements per batch however many organisations (plus, where an organisation's state
changes, its UPDATE), fewer statements per organisation in bigger batches, and a failure in one
organisation costs only that organisation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.models import (
    AuditEvent,
    MonitoringReturn,
    Organisation,
    OutboxEmail,
    ReturnLine,
    Signing,
)
from charter.models.assessment import CharterMark
from charter.models.schedule import ScheduledNotice
from charter.services.domain import reviews
from charter.services.domain.reviews import common, marks_jobs, returns_jobs
from tests.factories import make_mark, make_organisation, make_user, set_stage
from tests.services.domain.review_helpers import TARGETS, fresh, monitored, open_return, triggers

SMALL, LARGE = 3, 12
DUE = date(2026, 4, 30)
RENEWAL_OPENS = date(2026, 11, 1)


def _organisations(scheme, count):
    return [make_organisation(owner=make_user(), scheme=scheme) for _ in range(count)]


def _monitored(scheme, count):
    """Monitoring since 1 January 2026, no returns yet: two periods ended by 1 July."""
    for organisation in _organisations(scheme, count):
        monitored(organisation, scheme)


def _returns_due(scheme, count, due=DUE):
    for organisation in _organisations(scheme, count):
        open_return(organisation, monitored(organisation, scheme), due)


def _marks_in_window(scheme, count):
    for organisation in _organisations(scheme, count):
        set_stage(organisation, "accredited")
        db.session.commit()
        make_mark(organisation, scheme, awarded_on=date(2025, 1, 10))


def _renewal_day(scheme):
    mark_expires = db.session.scalar(select(func.max(CharterMark.expires_on)))
    return mark_expires - timedelta(days=scheme.renewal_window_days)


CASES = {
    # job: (build, day, what it counts when acting, per-organisation statements allowed)
    "open_monitoring_periods": (_monitored, lambda _scheme: date(2026, 7, 1), "returns_opened", 0),
    "remind_returns_due": (
        _returns_due,
        lambda _scheme: DUE - timedelta(days=2),
        "due_soon_sent",
        0,
    ),
    "lapse_overdue": (
        _returns_due,
        lambda s: DUE + timedelta(days=s.grace_period_days + 1),
        "lapsed",
        1,  # the organisation's UPDATE
    ),
    "open_renewal_windows": (_marks_in_window, _renewal_day, "renewals_opened", 1),
}
PER_ORGANISATION = {"open_monitoring_periods": 2}  # two periods each


def _state():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (OutboxEmail, ScheduledNotice, AuditEvent, MonitoringReturn, ReturnLine)
    )


def _run(query_counter, job, day):
    with query_counter() as statements:
        counts = getattr(reviews, job)(day)
    return statements.value, counts


@pytest.mark.parametrize("job", list(CASES))
def test_each_job_is_set_based_and_idempotent(app, scheme, query_counter, job):
    build, day_of, counted, per_organisation = CASES[job]
    each = PER_ORGANISATION.get(job, 1)
    build(scheme, SMALL)
    day = day_of(scheme)
    small, counts = _run(query_counter, job, day)
    assert counts[counted] == each * SMALL, counts
    assert counts["skipped"] == 0

    before = _state()
    again = getattr(reviews, job)(day)
    assert _state() == before, "a second run sent or changed something"
    assert all(v == 0 for k, v in again.items() if k != "organisations_checked"), again

    # More organisations in the same situation (the first ones are done and stay done).
    build(scheme, LARGE)
    large, counts = _run(query_counter, job, day)
    assert counts[counted] == each * LARGE, counts
    assert large - small <= per_organisation * (LARGE - SMALL), (small, large)


@pytest.mark.parametrize("job", list(CASES))
def test_bigger_batches_run_fewer_statements(app, scheme, query_counter, monkeypatch, job):
    build, day_of, counted, _ = CASES[job]
    measured = []
    for batch_size in (2, 500):
        # A fresh group each time (the first stays done, and costs no more than checking).
        build(scheme, 2 * LARGE)
        monkeypatch.setattr(common, "BATCH_SIZE", batch_size)
        statements, counts = _run(query_counter, job, day_of(scheme))
        assert counts[counted] == PER_ORGANISATION.get(job, 1) * 2 * LARGE, counts
        measured.append(statements)
    in_small_batches, in_one_batch = measured
    assert in_one_batch < in_small_batches, measured


def test_batched_returns_have_the_lines_of_the_plan(app, scheme):
    _monitored(scheme, 3)
    assert reviews.open_monitoring_periods(date(2026, 7, 1))["returns_opened"] == 6
    lines = db.session.scalar(select(func.count()).select_from(ReturnLine))
    assert lines == 6 * len(TARGETS)
    starts = db.session.scalars(select(MonitoringReturn.period_start).distinct()).all()
    assert sorted(starts) == [date(2026, 1, 1), date(2026, 4, 1)]


def _failing_for(organisation_id, real):
    """``real``, except that a batch including ``organisation_id`` breaks at the database."""

    def fail(rows, *args, **kwargs):
        rows = list(rows)
        if any(organisation_id in (r if isinstance(r, tuple) else (r,)) for r in rows):
            raise IntegrityError("INSERT", {}, Exception("simulated failure"))
        return real(rows, *args, **kwargs)

    return fail


def test_a_failing_organisation_costs_only_itself_when_opening_returns(app, scheme, monkeypatch):
    _monitored(scheme, 4)
    ids = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    real = returns_jobs.returns_service.open_returns

    def open_returns(openings):
        if any(o.organisation_id == ids[1] for o in openings):
            raise IntegrityError("INSERT", {}, Exception("simulated failure"))
        return real(openings)

    monkeypatch.setattr(returns_jobs.returns_service, "open_returns", open_returns)
    counts = reviews.open_monitoring_periods(date(2026, 7, 1))
    assert (counts["returns_opened"], counts["skipped"]) == (6, 1)
    opened = set(db.session.scalars(select(MonitoringReturn.organisation_id)))
    assert opened == {ids[0], ids[2], ids[3]}


def test_a_failing_organisation_costs_only_itself_when_reminding(app, scheme, monkeypatch):
    _returns_due(scheme, 4)
    ids = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    monkeypatch.setattr(returns_jobs, "give_notices", _failing_for(ids[2], common.give_notices))
    counts = reviews.remind_returns_due(DUE - timedelta(days=2))
    assert (counts["due_soon_sent"], counts["skipped"]) == (3, 1)
    reminded = set(db.session.scalars(select(ScheduledNotice.organisation_id)))
    assert reminded == {ids[0], ids[1], ids[3]}


def test_a_stale_organisation_is_skipped_when_opening_renewal_windows(app, scheme, monkeypatch):
    _marks_in_window(scheme, 3)
    day = _renewal_day(scheme)
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
    stale = organisations[1].id
    real_transition = marks_jobs.transition

    def racing_transition(org, trigger, actor, **kwargs):
        if org.id == stale:  # someone else changes it between our read and our commit
            db.session.execute(
                update(Signing)
                .where(Signing.organisation_id == org.id)
                .values(version_id=Signing.version_id + 1)
                .execution_options(synchronize_session=False)
            )
        return real_transition(org, trigger, actor, **kwargs)

    monkeypatch.setattr(marks_jobs, "transition", racing_transition)
    counts = reviews.open_renewal_windows(day)
    assert counts == {"renewals_opened": 2, "skipped": 1}
    statuses = [fresh(o).stage for o in organisations]
    assert statuses == ["renewal_due", "accredited", "renewal_due"]
    assert triggers(organisations[1]) == []
    notices = set(db.session.scalars(select(ScheduledNotice.organisation_id)))
    assert notices == {organisations[0].id, organisations[2].id}
