"""One run of the scheduled reviews reaches a fixed point (issue 23): a second run on the same
day changes nothing, in any table but the run records, audit_events included.

On the reviews bench's generated register (bench/reviews_fixed_point.py, the same check at
10,000 organisations), at a few hundred organisations, with organisations in each state where
one job's output is another's input the same day. Before the jobs were ordered, a second run
lapsed the holders whose Mark expired the day their return was past its grace period, and
warned those whose Mark expired or was reinstated that day."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bench.reviews_fixed_point import CASES, build, changes, review_day, snapshot
from charter.extensions import db
from charter.models import Signing
from charter.models.schedule import ScheduledNotice
from charter.services.domain import reviews
from charter.services.domain.reviews.holder_jobs import WARNING
from workflows.states import stage

ORGANISATIONS = 300
PER_CASE = 2


def _statuses(ids) -> set[str]:
    """The stages (workflows.states.stage) of the organisations ``ids``."""
    rows = db.session.execute(
        select(Signing.status, Signing.mark_status).where(Signing.organisation_id.in_(ids))
    )
    return {stage(duties, mark) for duties, mark in rows}


def _warned(ids) -> set[int]:
    return set(
        db.session.scalars(
            select(ScheduledNotice.organisation_id).where(
                ScheduledNotice.kind == WARNING, ScheduledNotice.organisation_id.in_(ids)
            )
        )
    )


def test_a_second_run_on_the_same_day_changes_nothing(app, scheme):
    today = review_day()
    cases = build(ORGANISATIONS, today, PER_CASE)

    first = reviews.run_all(today)

    # The first run did the work, each case included, all of it on the day.
    assert first["open_monitoring_periods"]["returns_opened"] > 0
    assert _statuses(cases["expire_marks -> lapse_overdue"]) == {"lapsed"}
    assert _statuses(cases["expire_marks -> enforce_annual_confirmations"]) == {"lapsed"}
    assert _statuses(cases["expire_marks -> warn_before_sanctions"]) == {"monitoring"}
    assert _statuses(cases["reinstate_marks -> warn_before_sanctions"]) == {"accredited"}
    warned = cases["expire_marks -> warn_before_sanctions"]
    warned += cases["reinstate_marks -> warn_before_sanctions"]
    assert _warned(warned) == set(warned)
    before = snapshot()

    second = reviews.run_all(today)

    # The second changed nothing: no row added, removed or rewritten, and did nothing.
    assert changes(before, snapshot()) == {}
    acted = {
        job: {k: v for k, v in counts.items() if v and k not in ("organisations_checked",)}
        for job, counts in second.items()
    }
    assert acted == {job: {} for job in reviews.JOBS}


# upstream, downstream: the upstream job's output can make the downstream job's input true on
# the same day (charter/services/domain/reviews/__init__.py says why for each).
DEPENDENCIES = [
    ("open_monitoring_periods", "remind_returns_due"),
    ("open_monitoring_periods", "warn_before_sanctions"),
    ("open_monitoring_periods", "lapse_overdue"),
    ("open_monitoring_periods", "suspend_marks_for_missed_returns"),
    ("reinstate_marks", "warn_before_sanctions"),
    ("expire_marks", "warn_before_sanctions"),
    ("expire_marks", "lapse_overdue"),
    ("expire_marks", "enforce_annual_confirmations"),
    ("annual_review_of_signatories", "enforce_annual_confirmations"),
]


@pytest.mark.parametrize(("upstream", "downstream"), DEPENDENCIES)
def test_each_job_runs_after_the_jobs_that_feed_it(upstream, downstream):
    order = list(reviews.JOBS)
    assert order.index(upstream) < order.index(downstream)


def test_every_dependency_case_is_generated():
    assert {f"{a} -> {b}" for a, b in DEPENDENCIES} >= set(CASES)
