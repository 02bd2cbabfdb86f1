"""`flask charter build-open-data`: build the open-data files now, as the scheduler does."""

from __future__ import annotations

import click

from charter.cli import charter_cli


@charter_cli.command("build-open-data")
def build_open_data():
    """Build each charter's register and impact files whose data changed since last built (the
    scheduler does this every minute; a request that finds none builds it too)."""
    from charter.public import open_data_files

    built = open_data_files.build_stale()
    click.echo(f"Built {built} open-data files in {open_data_files.folder()}.")
