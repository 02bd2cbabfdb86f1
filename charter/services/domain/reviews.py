"""Scheduled reviews: the daily jobs that move organisations along when time passes.

Each job is a plain function of ``today`` (so the CLI, a demo or a test can travel in time)
returning its counts. Every job is idempotent and safe to run twice or in two processes:
- a notice (reminder or email) is given once, guarded by ScheduledNotice's unique
  (kind, subject_key) inserted in a savepoint;
- a lifecycle transition is fired only where the organisation's state, read afresh, still
  allows it, and the organisation's version column makes a racing change fail at commit.
Work is committed one organisation (or return) at a time; a StaleDataError rolls back that
organisation's changes only, counts it as skipped and the run carries on.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Scheme
from charter.models.assessment import MARK_EXPIRED, MARK_SUSPENDED, MARK_VALID, CharterMark
from charter.models.base import utcnow
from charter.models.monitoring import RETURN_DRAFT, RETURN_QUERIED
from charter.models.schedule import JobRun, ScheduledNotice
from charter.services.domain import periods
from charter.services.domain import returns as returns_service
from charter.services.domain.lifecycle import system_actor, transition
from charter.services.domain.marks import add_months, current_mark
from charter.services.infrastructure.mail import email_members
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

log = logging.getLogger(__name__)

# Any constant shared by every process of this service: the key of the PostgreSQL advisory
# lock that lets only one review run at a time ("CHRTMARK" in ASCII, as a bigint).
ADVISORY_LOCK_KEY = 0x434852544D41524B
SKIPPED_RUN = {"skipped": "another run is in progress"}

LAPSABLE_STATES = (lifecycle.SIGNATORY, lifecycle.PLAN_SUBMITTED, lifecycle.MONITORING)
# Who is still expected to send the returns they have open (retrospective ones included).
REMINDED_STATES = returns_service.MONITORED_STATES + returns_service.RETROSPECTIVE_STATES
OPEN_RETURN_STATUSES = (RETURN_DRAFT, RETURN_QUERIED)


class _Skip(Exception):
    """The organisation no longer qualifies when read afresh: nothing to do."""


# --- helpers ----------------------------------------------------------------------------------


def _give_notice(organisation_id: int, kind: str, subject_key: str) -> bool:
    """Record a notice; False if it was given before (by this run, an earlier one or another
    process at the same moment), in which case the caller sends nothing."""
    try:
        with db.session.begin_nested():
            db.session.add(
                ScheduledNotice(organisation_id=organisation_id, kind=kind, subject_key=subject_key)
            )
            db.session.flush()
    except IntegrityError:
        return False
    return True


def _fresh_organisation(organisation_id: int, states: tuple[str, ...]) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id, populate_existing=True)
    if organisation is None or organisation.status not in states:
        raise _Skip
    return organisation


def _each(ids, work: Callable[[int], str | dict | None], counts: Counter) -> None:
    """Run ``work`` for each id in its own transaction; it returns the count to add one to
    (or a dict of counts to add), added only once the transaction has committed."""
    for item_id in ids:
        try:
            outcome = work(item_id)
            db.session.commit()
        except (StaleDataError, TransitionRefused, _Skip) as exc:
            db.session.rollback()
            if isinstance(exc, StaleDataError):
                log.warning("Skipped %s: changed by someone else during the review", item_id)
            counts["skipped"] += 1
            continue
        if isinstance(outcome, dict):
            counts.update(outcome)
        elif outcome:
            counts[outcome] += 1


def _dashboard_url(organisation: Organisation) -> str:
    return url_for("organisation.show_dashboard", slug=organisation.slug, _external=True)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _scheme(scheme_id: int | None) -> Scheme | None:
    return db.session.get(Scheme, scheme_id) if scheme_id is not None else None


# --- the jobs ---------------------------------------------------------------------------------


def open_monitoring_periods(today: date) -> dict:
    """Open a draft return for every ended monitoring period that has none yet."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .where(Organisation.status.in_(returns_service.MONITORED_STATES))
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> dict:
        organisation = _fresh_organisation(organisation_id, returns_service.MONITORED_STATES)
        opened = returns_service.ensure_returns(organisation, today)
        return {"organisations_checked": 1, "returns_opened": len(opened)}

    _each(ids, work, counts)
    return {"organisations_checked": 0, "returns_opened": 0, "skipped": 0, **counts}


def remind_returns_due(today: date) -> dict:
    """Remind members once when a return falls due within the scheme's reminder window, and
    once when it is overdue and has never been sent."""
    counts: Counter = Counter()
    longest_window = db.session.scalar(select(func.max(Scheme.reminder_days_before_due))) or 0
    candidates = db.session.scalars(
        select(MonitoringReturn.id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .where(
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.due_date <= today + timedelta(days=longest_window),
            Organisation.status.in_(REMINDED_STATES),
        )
        .order_by(MonitoringReturn.due_date, MonitoringReturn.id)
    ).all()

    def work(return_id: int) -> str | None:
        monitoring_return = db.session.get(MonitoringReturn, return_id, populate_existing=True)
        if monitoring_return.status not in OPEN_RETURN_STATUSES:
            raise _Skip
        organisation = _fresh_organisation(monitoring_return.organisation_id, REMINDED_STATES)
        scheme = _scheme(organisation.scheme_id)
        if scheme is None:
            raise _Skip
        due = monitoring_return.due_date
        if periods.is_overdue(due, today):
            # A queried return was sent on time once; it is being checked, not overdue.
            if monitoring_return.first_submitted_at is not None:
                return None
            kind, template, outcome = "return_overdue", "review-return-overdue", "overdue_sent"
            subject = f"{organisation.name}: your monitoring return is overdue"
        elif due <= today + timedelta(days=scheme.reminder_days_before_due):
            kind, template, outcome = "return_due_soon", "review-return-due-soon", "due_soon_sent"
            subject = f"{organisation.name}: your monitoring return is due on {_long_date(due)}"
        else:
            return None
        if not _give_notice(organisation.id, kind, f"return:{monitoring_return.id}"):
            return None
        returns_service.tell_members(
            organisation,
            monitoring_return,
            subject,
            template,
            grace_period_days=scheme.grace_period_days,
            lapses_on=due + timedelta(days=scheme.grace_period_days + 1),
        )
        return outcome

    _each(candidates, work, counts)
    return {"due_soon_sent": 0, "overdue_sent": 0, "skipped": 0, **counts}


def _oldest_lapsing_return(organisation: Organisation, today: date) -> MonitoringReturn | None:
    scheme = _scheme(organisation.scheme_id)
    if scheme is None:
        return None
    return db.session.scalar(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.submitted_at.is_(None),
            MonitoringReturn.due_date < today - timedelta(days=scheme.grace_period_days),
        )
        .order_by(MonitoringReturn.due_date, MonitoringReturn.id)
        .limit(1)
    )


def lapse_overdue(today: date) -> dict:
    """Lapse an organisation whose return is overdue by more than the grace period and was
    never sent (overdue by exactly the grace period is still within it)."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .join(MonitoringReturn, MonitoringReturn.organisation_id == Organisation.id)
        .where(
            Organisation.status.in_(LAPSABLE_STATES),
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.due_date < today,
        )
        .distinct()
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = _fresh_organisation(organisation_id, LAPSABLE_STATES)
        missed = _oldest_lapsing_return(organisation, today)
        if missed is None:
            return None
        period = periods.Period(missed.period_start, missed.period_end)
        reason = (
            f"The monitoring return for {period.label} was due on {_long_date(missed.due_date)} "
            "and was not sent within the grace period."
        )
        transition(organisation, "lapse", system_actor(), reason=reason)
        _give_notice(organisation.id, "lapsed", f"return:{missed.id}")
        returns_service.tell_members(
            organisation,
            missed,
            f"{organisation.name} has lapsed from the Social Value Charter",
            "review-lapsed",
            reason=reason,
            dashboard_url=_dashboard_url(organisation),
        )
        return "lapsed"

    _each(ids, work, counts)
    return {"lapsed": 0, "skipped": 0, **counts}


def open_renewal_windows(today: date) -> dict:
    """Open the renewal window for an accredited organisation whose mark expires within the
    scheme's renewal window (a mark already past its expiry is expire_marks' business)."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .join(CharterMark, CharterMark.organisation_id == Organisation.id)
        .where(
            Organisation.status == lifecycle.ACCREDITED,
            CharterMark.status == MARK_VALID,
            CharterMark.expires_on >= today,
        )
        .distinct()
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = _fresh_organisation(organisation_id, (lifecycle.ACCREDITED,))
        mark = current_mark(organisation)
        if mark is None or mark.status != MARK_VALID or mark.expires_on < today:
            return None
        window = _scheme(mark.scheme_id).renewal_window_days
        if today < mark.expires_on - timedelta(days=window):
            return None
        transition(organisation, "open_renewal", system_actor())
        if _give_notice(organisation.id, "renewal_open", f"mark:{mark.certificate_number}"):
            expires = _long_date(mark.expires_on)
            email_members(
                organisation,
                f"{organisation.name}: renew your Charter Mark before {expires}",
                "review-renewal-open",
                mark=mark,
                dashboard_url=_dashboard_url(organisation),
            )
        return "renewals_opened"

    _each(ids, work, counts)
    return {"renewals_opened": 0, "skipped": 0, **counts}


def expire_marks(today: date) -> dict:
    """Expire marks past their expiry date, and the holding organisations with them."""
    counts: Counter = Counter()
    holding = (lifecycle.ACCREDITED, lifecycle.RENEWAL_DUE)
    ids = db.session.scalars(
        select(CharterMark.organisation_id)
        .join(Organisation, Organisation.id == CharterMark.organisation_id)
        .where(
            CharterMark.expires_on < today,
            or_(
                CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
                and_(CharterMark.status == MARK_EXPIRED, Organisation.status.in_(holding)),
            ),
        )
        .distinct()
        .order_by(CharterMark.organisation_id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = db.session.get(Organisation, organisation_id, populate_existing=True)
        mark = current_mark(organisation)
        if mark is None or mark.expires_on >= today:
            raise _Skip
        changed = False
        if mark.status in (MARK_VALID, MARK_SUSPENDED):
            mark.status = MARK_EXPIRED
            mark.status_changed_at = utcnow()
            changed = True
        if organisation.status == lifecycle.ACCREDITED:
            # The window was never opened (the scheduler was down): open it, then close it,
            # so the audit trail shows both steps.
            transition(organisation, "open_renewal", system_actor())
        if organisation.status == lifecycle.RENEWAL_DUE:
            transition(organisation, "expire_mark", system_actor())
            changed = True
        if not changed:
            return None
        if _give_notice(organisation.id, "mark_expired", f"mark:{mark.certificate_number}"):
            email_members(
                organisation,
                f"{organisation.name}: your Charter Mark has expired",
                "review-mark-expired",
                mark=mark,
                dashboard_url=_dashboard_url(organisation),
            )
        return "expired"

    _each(ids, work, counts)
    return {"expired": 0, "skipped": 0, **counts}


def annual_review_of_signatories(today: date) -> dict:
    """Once a year, nudge a signatory that has not moved on for more than twelve months."""
    counts: Counter = Counter()
    a_year_ago = add_months(today, -12)
    ids = db.session.scalars(
        select(Organisation.id)
        .where(
            Organisation.status == lifecycle.SIGNATORY,
            Organisation.status_changed_at < datetime.combine(a_year_ago, time.min),
        )
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = _fresh_organisation(organisation_id, (lifecycle.SIGNATORY,))
        if organisation.status_changed_at.date() >= a_year_ago:
            return None
        key = f"org:{organisation.id}:{today.year}"
        if not _give_notice(organisation.id, "annual_review", key):
            return None
        email_members(
            organisation,
            f"{organisation.name}: your annual Social Value Charter review",
            "review-annual-review",
            signed_on=organisation.status_changed_at,
            dashboard_url=_dashboard_url(organisation),
        )
        return "reminded"

    _each(ids, work, counts)
    return {"reminded": 0, "skipped": 0, **counts}


# In the order run_all uses: returns are opened before anyone is reminded about them, an
# organisation lapses before it could be reminded again, a window opens before a mark expires.
JOBS: dict[str, Callable[[date], dict]] = {
    "open_monitoring_periods": open_monitoring_periods,
    "remind_returns_due": remind_returns_due,
    "lapse_overdue": lapse_overdue,
    "open_renewal_windows": open_renewal_windows,
    "expire_marks": expire_marks,
    "annual_review_of_signatories": annual_review_of_signatories,
}


# --- running ----------------------------------------------------------------------------------


@contextmanager
def exclusive() -> Iterator[bool]:
    """On PostgreSQL, hold a session-level advisory lock on a connection of its own for the
    whole run (a transaction-level lock, or one taken through the pooled session connection,
    would be released at the first commit). Yields False if another process holds it.
    SQLite runs in one process by design: no lock."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    connection = db.engine.connect()
    try:
        acquired = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        ).scalar()
        connection.commit()  # the lock outlives the transaction; do not sit idle in one
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
    finally:
        connection.close()


def _url_context():
    """Emails carry links: outside a request (the CLI, the scheduler) build them against
    SERVER_NAME, or the SERVICE_URL setting."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["SERVICE_URL"])


def _run_recorded(name: str, today: date) -> dict:
    run = JobRun(job=name, run_for=today, status="running", summary={})
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    try:
        with _url_context():
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
