"""`flask charter import-notices FILE... [--url URL...]`: OCDS release packages from Find a Tender
or Contracts Finder, as files or fetched over HTTP(S), become proposed contracts (docs/ocds.md);
`flask charter match-notices` matches what was imported again, after a commissioner's buyer
identifiers were added.

A URL is fetched whole before anything of it is imported (infrastructure/ocds/download.py).
Each file is its own transaction: a bad file is reported, naming it and what is wrong, and
nothing of it is kept but the refusal (audited, for the administrators' page); the others are
imported, and the command exits non-zero.
"""

from __future__ import annotations

import click

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.domain import published_notices

ACTOR = "import-notices command"


@charter_cli.command("import-notices")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="URL",
    help="A release package to fetch over http or https (repeatable). An argument that is "
    "an http or https address is fetched too.",
)
def import_notices(files: tuple[str, ...], urls: tuple[str, ...]):
    """Import OCDS release packages (JSON files or URLs) and propose the contracts they award."""
    sources = [(f, f.startswith(("http://", "https://"))) for f in files]
    sources += [(url, True) for url in urls]
    if not sources:
        raise click.UsageError("Give at least one FILE or --url URL.")
    refused = 0
    for source, is_url in sources:
        try:
            if is_url:
                summary = published_notices.import_url(source, actor_label=ACTOR)
            else:
                summary = published_notices.import_file(source, actor_label=ACTOR)
        except published_notices.NoticesRefused as error:
            db.session.rollback()
            published_notices.record_refused(error, actor_label=ACTOR)
            refused += 1
            click.echo(f"Not imported: {error}", err=True)
            continue
        db.session.commit()
        click.echo(f"Imported {summary.line()}")
    if refused:
        raise click.ClickException(f"{refused} of {len(sources)} files were not imported.")


@charter_cli.command("match-notices")
def match_notices():
    """Match the awards of every imported notice again (accepted and declined ones stay)."""
    outcomes = published_notices.rematch(actor_label="match-notices command", release_memory=True)
    db.session.commit()
    shown = ", ".join(f"{v} {k}" for k, v in sorted(outcomes.items()) if k != "ignored")
    click.echo(f"Matched again: {shown or 'no awards for this service'}")
