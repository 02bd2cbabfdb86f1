"""`flask charter rebuild-impact`: add up the verified figures behind /impact again."""

from __future__ import annotations

from datetime import date

import click

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.domain import proxy_values
from charter.services.read_models.impact import build


@charter_cli.command("rebuild-impact")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day whose proxy values are 'current' (default: today).",
)
def rebuild_impact(today):
    """Rebuild the impact summary rows from verified returns (the scheduler does this nightly)."""
    day = today.date() if today else date.today()
    changed = proxy_values.sync_current_values(day)
    try:
        result = build.rebuild()
    except build.ImpactOutOfRange as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(
        f"Rebuilt the impact figures: {result.cells} cells and {result.lifecycle_rows} "
        f"lifecycle counts in {result.seconds:.2f} s"
        + (f"; {changed} proxy values took effect." if changed else ".")
    )
