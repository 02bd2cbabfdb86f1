import click
from flask import current_app

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.domain.schemes import SchemeFileError, load_scheme_file


@charter_cli.command("load-scheme")
@click.argument("path", required=False)
def load_scheme(path: str | None):
    """Load a scheme file (TOML). A changed file becomes a new scheme version."""
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
