"""The one scheduler process: APScheduler 3's BlockingScheduler running the daily reviews.

Run exactly one (`flask charter scheduler`, `make scheduler`), never one per web worker:
the job store is the default in-memory one, since the jobs are defined here in code, and a
job store must never be shared by two schedulers. On PostgreSQL an advisory lock (see
charter.services.domain.reviews.exclusive) still stops a second scheduler or a hand-run
`flask charter run-reviews` from overlapping; and every job is idempotent anyway.

With MAIL_DELIVERY_IN_SCHEDULER set it also delivers email every MAIL_WORKER_POLL_SECONDS, for
an installation that would rather not run a separate `flask charter mail-worker`; the two may
run together, since each email is claimed once (charter.services.infrastructure.mail.delivery).

With NOTICES_POLL_URL set it also fetches and imports that release package every
NOTICES_POLL_MINUTES (docs/ocds.md); importing is idempotent, so a package fetched again
changes nothing. With FIND_A_TENDER_POLL_URL set it walks the Find a Tender API as often, from
where the last walk got to (services/domain/notices_poll.py).
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from charter.extensions import db
from charter.services.domain import proxy_values, reviews
from charter.services.read_models.impact import build as impact_build

log = logging.getLogger(__name__)

TIMEZONE = ZoneInfo("Europe/London")
# 02:00: quiet, and after the hour the clocks skip in March and repeat in October (01:00-02:00).
FIRST_RUN_HOUR = 2
MINUTES_APART = 10
# The default misfire grace time is one second, which silently skips a daily job after a
# restart or a slow start; six hours lets it catch up, coalesce runs missed days only once.
# After the reviews, which can change what is verified and who holds the Charter Mark.
IMPACT_REBUILD_HOUR = 4
# Quiet, and long after any upload of the day before could still be on its way to its row.
EVIDENCE_SWEEP_HOUR = 5
NOTICES_POLL_ACTOR = "scheduled notices poll"
JOB_DEFAULTS = {"misfire_grace_time": 6 * 3600, "coalesce": True, "max_instances": 1}


def run_scheduled(app: Flask, name: str) -> dict:
    """One job, as "today" in the council's timezone, in an app context of its own."""
    today = datetime.now(TIMEZONE).date()
    with app.app_context():  # its teardown removes the database session
        counts = reviews.run_job(name, today)
    log.info("Scheduled review %s for %s: %s", name, today, counts)
    return counts


def rebuild_impact(app: Flask) -> None:
    """Add up the verified figures behind /impact again, after the night's reviews."""
    today = datetime.now(TIMEZONE).date()
    with app.app_context():
        proxy_values.sync_current_values(today)
        try:
            result = impact_build.rebuild()
        except impact_build.ImpactOutOfRange as refused:
            db.session.rollback()
            log.error("%s", refused)
            return
        db.session.commit()
    log.info("Rebuilt impact figures: %s cells in %.2f s", result.cells, result.seconds)


def deliver_emails(app: Flask) -> None:
    """Deliver the emails that are due, in an app context of its own."""
    from charter.services.infrastructure.mail import deliver_due

    with app.app_context():
        counts = deliver_due()
    if counts.attempted:
        log.info(
            "Email delivery: %s sent, %s to retry, %s failed",
            counts.sent,
            counts.retrying,
            counts.failed,
        )


def build_data_exports(app: Flask) -> None:
    """Build the copies of people's information that were too large to build while they waited."""
    from charter.services.domain import data_exports

    with app.app_context():  # the emailed link is built from SERVICE_URL (notices.links)
        built = data_exports.build_queued()
    if built:
        log.info("Built %s copies of people's information", built)


def build_open_data(app: Flask) -> None:
    """Build the open-data files whose data changed since they were built, so no visitor
    waits for one (charter.public.open_data_files)."""
    from charter.public import open_data_files

    with app.app_context():
        built = open_data_files.build_stale()
    if built:
        log.info("Built %s open-data files", built)


def poll_notices(app: Flask) -> None:
    """Fetch and import the release package at NOTICES_POLL_URL, as `flask charter
    import-notices --url` does: a refused package is logged and keeps nothing."""
    from charter.services.domain import published_notices

    url = app.config["NOTICES_POLL_URL"]
    with app.app_context():
        try:
            summary = published_notices.import_url(url, actor_label=NOTICES_POLL_ACTOR)
        except published_notices.NoticesRefused as refused:
            db.session.rollback()
            published_notices.record_refused(refused, actor_label=NOTICES_POLL_ACTOR)
            log.error("Published notices not imported: %s", refused)
            return
        db.session.commit()
    log.info("Published notices imported: %s", summary.line())


def poll_find_a_tender(app: Flask) -> None:
    """Walk the Find a Tender API from where the last run got to, importing the notices of
    commissioners' buyers (services/domain/notices_poll.py); a page that fails is logged,
    and the next run asks for it again."""
    from datetime import UTC

    from charter.services.domain import notices_poll

    with app.app_context():
        results = notices_poll.poll(datetime.now(UTC), actor_label=NOTICES_POLL_ACTOR)
    for result in results:
        (log.error if result.error else log.info)("%s", result.line())


def sweep_evidence(app: Flask) -> None:
    """Remove stored evidence no row refers to, older than the safety age
    (charter.operations.evidence_sweep)."""
    from charter.operations.evidence_sweep import min_age, sweep_orphaned_evidence
    from charter.services.infrastructure.storage import evidence_storage

    with app.app_context():
        age = min_age(app.config.get("EVIDENCE_SWEEP_MIN_AGE_HOURS"))
        storage = evidence_storage()
        report = sweep_orphaned_evidence(storage, older_than=age)
    if report.failed:
        log.error("Evidence sweep of %s: %s", storage.description, report.summary())
    else:
        log.info("Evidence sweep of %s: %s", storage.description, report.summary())


def _log_event(event) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning(
            "Scheduled review %s missed its run at %s", event.job_id, event.scheduled_run_time
        )
    else:
        log.error("Scheduled review %s raised %r", event.job_id, event.exception)


def _every(job, trigger, app: Flask, name: str, **settings) -> dict:
    """One job's arguments: its id is its function's name; ``settings`` override the defaults."""
    return dict(
        func=job,
        trigger=trigger,
        args=[app],
        id=job.__name__,
        name=name,
        replace_existing=True,
        **{**JOB_DEFAULTS, **settings},
    )


def _daily_at(hour: int, minute: int = 0) -> CronTrigger:
    return CronTrigger(hour=hour, minute=minute, timezone=TIMEZONE)


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A BlockingScheduler with one daily cron trigger per review, ten minutes apart, and the
    other jobs (the impact rebuild, the built files, the sweep, the optional polls and mail)."""
    scheduler = BlockingScheduler(timezone=TIMEZONE, job_defaults=dict(JOB_DEFAULTS))
    for position, name in enumerate(reviews.JOBS):
        minutes = FIRST_RUN_HOUR * 60 + position * MINUTES_APART
        scheduler.add_job(
            run_scheduled,
            _daily_at(minutes // 60, minutes % 60),
            args=[app, name],
            id=name,
            name=name.replace("_", " "),
            replace_existing=True,
            **JOB_DEFAULTS,
        )
    every_minute = IntervalTrigger(minutes=1, timezone=TIMEZONE)
    poll_every = IntervalTrigger(minutes=int(app.config.get("NOTICES_POLL_MINUTES") or 60))
    jobs = [
        _every(rebuild_impact, _daily_at(IMPACT_REBUILD_HOUR), app, "rebuild impact figures"),
        _every(build_data_exports, every_minute, app, "build copies of people's information"),
        _every(build_open_data, every_minute, app, "build the open-data files"),
        _every(sweep_evidence, _daily_at(EVIDENCE_SWEEP_HOUR), app, "sweep orphaned evidence"),
    ]
    if app.config.get("NOTICES_POLL_URL"):
        jobs.append(_every(poll_notices, poll_every, app, "import published notices"))
    if app.config.get("FIND_A_TENDER_POLL_URL"):
        jobs.append(
            _every(poll_find_a_tender, poll_every, app, "import notices from the Find a Tender API")
        )
    if app.config.get("MAIL_DELIVERY_IN_SCHEDULER"):
        seconds = float(app.config.get("MAIL_WORKER_POLL_SECONDS") or 5)
        # Runs that fall behind are merged; a late one is still worth running.
        jobs.append(
            _every(
                deliver_emails,
                IntervalTrigger(seconds=seconds),
                app,
                "deliver emails",
                misfire_grace_time=None,
                coalesce=True,
                max_instances=1,
            )
        )
    for job in jobs:
        scheduler.add_job(**job)
    scheduler.add_listener(_log_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler
