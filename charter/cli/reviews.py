"""`flask charter run-reviews` (by hand, as any day) and `flask charter scheduler` (daily)."""

from __future__ import annotations

import contextlib
from datetime import date

import click

from charter.cli import charter_cli
from charter.services.domain import reviews

DATE_MESSAGE = "Enter the date as YYYY-MM-DD"


def _parse_today(ctx, param, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter(DATE_MESSAGE, ctx=ctx, param=param) from exc


def _check_job(ctx, param, value: str | None) -> str | None:
    if value is not None and value not in reviews.JOBS:
        raise click.BadParameter(
            f"There is no job called {value!r}. The jobs are: {', '.join(reviews.JOBS)}",
            ctx=ctx,
            param=param,
        )
    return value


def _echo_counts(name: str, counts: dict) -> None:
    text = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())
    click.echo(f"{name}: {text or 'nothing to do'}")


@charter_cli.command("run-reviews")
@click.option(
    "--today",
    callback=_parse_today,
    metavar="YYYY-MM-DD",
    help="Run as if it were this day (default: today), to travel in time in a demo or test.",
)
@click.option("--job", callback=_check_job, help="Run only this job (default: all, in order).")
def run_reviews(today: date, job: str | None):
    """Run the scheduled reviews now: open periods, remind, lapse, renew, expire, review."""
    results = {job: reviews.run_job(job, today)} if job else reviews.run_all(today)
    if results == reviews.SKIPPED_RUN or results.get(job) == reviews.SKIPPED_RUN:
        raise click.ClickException("Another review run is in progress; nothing was done.")
    click.echo(f"Scheduled reviews for {today.isoformat()}:")
    failed = False
    for name, counts in results.items():
        _echo_counts(name, counts)
        failed = failed or "error" in counts
    if failed:
        raise click.ClickException("A job failed: see the log and the job runs page.")


@charter_cli.command("scheduler")
def run_scheduler():
    """Run the daily reviews on a schedule until stopped. Run exactly ONE of these."""
    from flask import current_app

    from charter.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object())
    click.echo("Scheduler started (Europe/London); press Ctrl+C to stop.")
    for job in scheduler.get_jobs():
        click.echo(f"  {job.id}: {job.trigger}")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
