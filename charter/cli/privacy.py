"""`flask charter retention`: the retention job alone, or (``--dry-run``) what it would do."""

from __future__ import annotations

from datetime import date

import click

from charter.cli import charter_cli
from charter.cli.reviews import _echo_counts, _parse_today
from charter.services.domain import retention_schedule, reviews
from charter.services.domain.reviews import retention_jobs

JOB = "apply_retention_schedule"


@charter_cli.command("retention")
@click.option(
    "--today",
    callback=_parse_today,
    metavar="YYYY-MM-DD",
    help="Apply the schedule as if it were this day (default: today).",
)
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def apply_retention(today: date, dry_run: bool):
    """Delete or anonymise what the retention schedule says is due (the privacy notice's)."""
    if not dry_run:
        counts = reviews.run_job(JOB, today)
        if counts == reviews.SKIPPED_RUN:
            raise click.ClickException("Another review run is in progress; nothing was done.")
        _echo_counts(JOB, counts)
        if "error" in counts:
            raise click.ClickException("The job failed: see the log and the job runs page.")
        return
    found = retention_jobs.due(today)
    rules = {rule.kind: rule for rule in retention_schedule.schedule()}
    click.echo(f"Retention schedule for {today.isoformat()}, dry run:")
    for kind, count in found.counts().items():
        click.echo(f"{rules[kind].records}: {count}")
        for line in found.lines.get(kind, []):
            click.echo(f"  {line}")
    click.echo("Dry run: nothing has been changed.")


@charter_cli.command("build-exports")
def build_exports():
    """Build the copies of people's information waiting in the queue, and email their links."""
    from charter.services.domain import data_exports

    built = data_exports.build_queued(limit=1000)
    click.echo(f"Built {built} copies of people's information.")
