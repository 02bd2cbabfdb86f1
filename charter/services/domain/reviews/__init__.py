"""Scheduled reviews: the daily jobs that move organisations along when time passes.

Each job is a plain function of ``today`` (so the CLI, a demo or a test can travel in time)
returning its counts, recorded as a JobRun. Every job is idempotent and safe to run twice or in
two processes: a notice (reminder or email) is given once, guarded by ScheduledNotice's unique
(kind, subject_key); a lifecycle transition is fired only where the organisation's state, read
afresh, still allows it, and the organisation's version column makes a racing change fail at
commit, costing only that organisation. On PostgreSQL an advisory lock lets one run at a time.

Each job runs once per charter (``per_charter``), with that charter acting
(charter.models.signing.acting_charter): it selects that charter's signings, reads their
periods and windows from that charter's scheme and fires transitions on those signings, so an
organisation that signed two charters is reviewed under each. The yearly audit draw and the
retention schedule are the service's, and run once.

**One run reaches a fixed point**: a second run on the same day changes nothing (issue 23;
tests/services/domain/test_reviews_fixed_point.py, and ``bench/reviews_fixed_point.py`` at
10,000 organisations). That is the order of ``JOBS``: each job runs after every job whose output
can make its input true on the same day. The dependencies (upstream -> downstream: why):

- open_monitoring_periods -> every return job: a period just ended, or one missed while the
  scheduler was down, can be due soon, overdue or past its grace period at once.
- reinstate_marks -> warn_before_sanctions: a lifted suspension makes a holder again, to be
  warned about a return not sent (a suspended Mark is not warned: it is suspended already).
  (reinstate_marks -> open_renewal_windows is none: a reinstatement inside the renewal window
  goes to renewal_due itself; it still runs first.)
- expire_marks -> warn_before_sanctions, lapse_overdue, enforce_annual_confirmations: an expired
  Mark puts its holder, or the organisation whose Mark was suspended, back in monitoring, where
  a return never sent is warned about or lapses it, and a missed confirmation lapses it. Run
  after them, a holder suspended for a missed return whose Mark expired that day lapsed only in
  a second run (15 organisations at 10,000).
- annual_review_of_signatories -> enforce_annual_confirmations: a confirmation opened late, with
  a window shorter than the warning, is due its warning at once.
- expire_marks runs before suspend_marks_for_missed_returns by choice, not need: a Mark that
  ends today is expired, not suspended and then expired the same night with two emails.

Nothing later makes an earlier job's input true: remind_returns_due, open_monitoring_periods,
annual_review_of_signatories and warn_before_standards_lapse read states the other jobs move
only between states they treat alike (or to lapsed); open_renewal_windows and expire_marks read
disjoint marks (in force until today, or past it); reinstate_marks needs no missed duty, which
suspend_marks_for_missed_returns and enforce_annual_confirmations are about; draw_audits reads
the holders once a year after the day's changes; retention acts on what left years ago. An
ordering, not a loop until nothing changes: the scheduler runs each job on its own, ten minutes
apart, in this order, and an order says why where a loop would hide it.

The jobs live by family: ``returns_jobs`` (periods, reminders, lapsing), ``holder_jobs`` (a
holder's reporting duty, warnings, system suspension and its lifting), ``marks_jobs`` (renewal
window, expiry), ``confirmation_jobs`` (the annual confirmation), ``standards_jobs`` (the
minimum standards declaration) and audits (the yearly draw).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import select, text

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.charter import Charter
from charter.models.schedule import JobRun
from charter.models.signing import acting_in
from charter.services.domain.audits import draw_audits
from charter.services.domain.reviews.confirmation_jobs import (
    annual_review_of_signatories,
    enforce_annual_confirmations,
)
from charter.services.domain.reviews.holder_jobs import (
    reinstate_marks,
    suspend_marks_for_missed_returns,
    warn_before_sanctions,
)
from charter.services.domain.reviews.marks_jobs import expire_marks, open_renewal_windows
from charter.services.domain.reviews.retention_jobs import apply_retention_schedule
from charter.services.domain.reviews.returns_jobs import (
    lapse_overdue,
    open_monitoring_periods,
    remind_returns_due,
)
from charter.services.domain.reviews.standards_jobs import warn_before_standards_lapse

log = logging.getLogger(__name__)

# Any constant shared by every process of this service: the key of the PostgreSQL advisory
# lock that lets only one review run at a time ("CHRTMARK" in ASCII, as a bigint).
ADVISORY_LOCK_KEY = 0x434852544D41524B
SKIPPED_RUN = {"skipped": "another run is in progress"}


def per_charter(job: Callable[[date], dict]) -> Callable[[date], dict]:
    """``job`` run for each charter in turn, with it acting; the counts added up."""

    def run(today: date) -> dict:
        charter_ids = db.session.scalars(select(Charter.id).order_by(Charter.id)).all()
        if len(charter_ids) <= 1:
            with acting_in(charter_ids[0] if charter_ids else None):
                return job(today)
        total: Counter = Counter()
        for charter_id in charter_ids:
            with acting_in(charter_id):
                for key, value in job(today).items():
                    if isinstance(value, int):
                        total[key] += value
        return dict(total)

    run.__name__ = job.__name__
    run.__doc__ = job.__doc__
    return run


# In the order run_all and the scheduler use: each after every job that can make its input true
# the same day (the module docstring lists them), so one run reaches a fixed point.
JOBS: dict[str, Callable[[date], dict]] = {
    "open_monitoring_periods": per_charter(open_monitoring_periods),
    "remind_returns_due": per_charter(remind_returns_due),
    "reinstate_marks": per_charter(reinstate_marks),
    "open_renewal_windows": per_charter(open_renewal_windows),
    "expire_marks": per_charter(expire_marks),  # before anything that reads monitoring
    "warn_before_sanctions": per_charter(warn_before_sanctions),
    "lapse_overdue": per_charter(lapse_overdue),
    "suspend_marks_for_missed_returns": per_charter(suspend_marks_for_missed_returns),
    "annual_review_of_signatories": per_charter(annual_review_of_signatories),
    "enforce_annual_confirmations": per_charter(enforce_annual_confirmations),
    "warn_before_standards_lapse": per_charter(warn_before_standards_lapse),
    "draw_audits": draw_audits,
    "apply_retention_schedule": apply_retention_schedule,  # last: after anything that lapses
}

__all__ = [
    "ADVISORY_LOCK_KEY",
    "JOBS",
    "SKIPPED_RUN",
    "exclusive",
    "recent_runs",
    "run_all",
    "run_job",
    *JOBS,
]


# --- running ----------------------------------------------------------------------------------


@contextmanager
def exclusive(key: int = ADVISORY_LOCK_KEY) -> Iterator[bool]:
    """On PostgreSQL, hold a session-level advisory lock (``key``: the reviews' by default) on
    a connection of its own for the whole run (a transaction-level lock, or one taken through
    the pooled session connection, would be released at the first commit). Yields False if
    another process holds it. SQLite runs in one process by design: no lock."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    connection = db.engine.connect()
    try:
        acquired = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
        ).scalar()
        connection.commit()  # the lock outlives the transaction; do not sit idle in one
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
    finally:
        connection.close()


def _run_recorded(name: str, today: date) -> dict:
    run = JobRun(job=name, run_for=today, status="running", summary={})
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    try:
        summary = JOBS[name](today)
        status = "ok"
    except Exception as exc:
        db.session.rollback()
        log.exception("Scheduled review %s failed", name)
        summary, status = {"error": f"{type(exc).__name__}: {exc}"}, "failed"
    run = db.session.get(JobRun, run_id)
    run.status, run.summary, run.finished_at = status, dict(summary), utcnow()
    db.session.commit()
    log.info("Scheduled review %s for %s: %s %s", name, today, status, summary)
    return dict(summary)


def run_job(name: str, today: date) -> dict:
    """Run one job (recorded as a JobRun) unless another review run holds the lock."""
    if name not in JOBS:
        raise KeyError(name)
    with exclusive() as acquired:
        if not acquired:
            return dict(SKIPPED_RUN)
        return _run_recorded(name, today)


def run_all(today: date) -> dict:
    """Every job in order, under one lock; {job name: counts} or SKIPPED_RUN."""
    with exclusive() as acquired:
        if not acquired:
            return dict(SKIPPED_RUN)
        return {name: _run_recorded(name, today) for name in JOBS}


def recent_runs(limit: int = 50) -> list[JobRun]:
    return list(
        db.session.scalars(
            select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
        )
    )
