"""`flask charter import-notices FILE...`: OCDS release packages from Find a Tender or Contracts
Finder become proposed contracts (docs/ocds.md); `flask charter match-notices` matches what was
imported again, after a commissioner's buyer identifiers were added.

Each file is its own transaction: a bad file is reported, naming it and what is wrong, and
nothing of it is kept; the others are imported, and the command exits non-zero.
"""

from __future__ import annotations

import click

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.domain import published_notices

ACTOR = "import-notices command"


@charter_cli.command("import-notices")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def import_notices(files: tuple[str, ...]):
    """Import OCDS release packages (JSON files) and propose the contracts they award."""
    refused = 0
    for path in files:
        try:
            summary = published_notices.import_file(path, actor_label=ACTOR)
        except published_notices.NoticesRefused as error:
            db.session.rollback()
            refused += 1
            click.echo(f"Not imported: {error}", err=True)
            continue
        db.session.commit()
        click.echo(f"Imported {summary.line()}")
    if refused:
        raise click.ClickException(f"{refused} of {len(files)} files were not imported.")


@charter_cli.command("match-notices")
def match_notices():
    """Match the awards of every imported notice again (accepted and declined ones stay)."""
    outcomes = published_notices.rematch(actor_label="match-notices command", release_memory=True)
    db.session.commit()
    shown = ", ".join(f"{v} {k}" for k, v in sorted(outcomes.items()) if k != "ignored")
    click.echo(f"Matched again: {shown or 'no awards for this service'}")
