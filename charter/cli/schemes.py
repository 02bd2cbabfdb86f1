"""`flask charter load-scheme FILE` and `flask charter create-charter FILE`: a scheme file sets a
charter up and loads each new version of its scheme (docs/charters.md)."""

from pathlib import Path

import click
from flask import current_app

from charter.cli import charter_cli
from charter.extensions import db
from charter.models.staff import ADMINISTRATOR
from charter.services.domain.accounts import normalise_email, user_by_email
from charter.services.domain.charter_file import charter_table
from charter.services.domain.charters import create_charter as create_charter_row
from charter.services.domain.refusals import Refused
from charter.services.domain.scheme_lines import on_its_line
from charter.services.domain.schemes import SchemeFileError, load_scheme_file, read_toml
from charter.services.domain.staff import appoint


@charter_cli.command("load-scheme")
@click.argument("path", required=False)
def load_scheme(path: str | None):
    """Load a scheme file (TOML). A changed file becomes a new scheme version of the charter its
    [charter] table names (created if new); a file without [charter] loads into the only
    charter there is."""
    path = path or current_app.config["DEFAULT_SCHEME_FILE"]
    try:
        result = load_scheme_file(path)
    except (OSError, SchemeFileError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    db.session.commit()
    scheme = result.scheme
    if result.created:
        click.echo(f"Loaded '{scheme.name}' as version {scheme.version}.")
    else:
        click.echo(f"'{scheme.name}' version {scheme.version} is already current; nothing changed.")


@charter_cli.command("create-charter")
@click.argument("path")
@click.option(
    "--administrator",
    "administrator",
    required=True,
    metavar="EMAIL",
    help="The email address of an existing, confirmed account to administer the charter.",
)
def create_charter(path: str, administrator: str):
    """Create a charter from a scheme file's [charter] table, load its scheme, and appoint its
    first administrator.

    The administrator must already have an account with a confirmed email address (ask them to
    create one first). They become an administrator of this charter only, and appoint its other
    staff on its staff pages.
    """
    email = normalise_email(administrator)
    account = user_by_email(email)
    if account is None:
        raise click.ClickException(
            f"There is no account with the email address {email}: the charter's first "
            "administrator must create an account (and confirm its email address) first."
        )
    try:
        text = Path(path).read_text("utf-8")
        with on_its_line(text):
            charter = create_charter_row(charter_table(read_toml(text)))
        result = load_scheme_file(path)
        appointed = appoint(account.email, ADMINISTRATOR, charter, None, notify=False)
    except (OSError, Refused) as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc}") from exc
    db.session.commit()
    click.echo(
        f"Created the charter '{charter.name}' ({charter.slug}), run by {charter.running_body}, "
        f"with its scheme '{result.scheme.name}' as version {result.scheme.version}."
    )
    click.echo(f"{appointed.email} is now an administrator of {charter.name}.")
