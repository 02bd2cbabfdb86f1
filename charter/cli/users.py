"""Service administrators and a charter's administrators, from the command line.

`flask charter create-service-admin EMAIL`: the service operator, who creates charters; the
first account on a new service, or an existing one promoted. `flask charter
appoint-administrator EMAIL [--charter SLUG]`: an administrator of a charter that has none yet
(a charter loaded with `load-scheme`), or another one; after that, a charter's administrators
appoint its staff on its staff pages.
"""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email

from charter.cli import charter_cli
from charter.extensions import db
from charter.models.staff import ADMINISTRATOR
from charter.services.domain import charters
from charter.services.domain.accounts import (
    hash_password,
    normalise_email,
    password_problem,
    user_by_email,
)
from charter.services.domain.staff import StaffChangeRefused, appoint, make_service_admin
from charter.services.domain.text import has_visible_name, name_message


def _valid_email(email: str) -> str:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(
            f"'{email}' is not a valid email address ({exc}).", param_hint="EMAIL"
        ) from exc
    return normalise_email(email)


@charter_cli.command("create-service-admin")
@click.argument("email")
@click.option(
    "--name", help="Full name of a new service administrator (prompted for if not given)."
)
@click.option(
    "--password",
    help="Password of a new service administrator (prompted for if not given; prefer the "
    "prompt, so the password stays out of your shell history).",
)
def create_service_admin(email: str, name: str | None, password: str | None):
    """Create a service administrator with EMAIL, or make the existing account one. A service
    administrator creates charters and appoints their administrators; it is no role in a
    charter."""
    email = _valid_email(email)
    existing = user_by_email(email)
    if existing is not None and existing.service_admin:
        click.echo(f"{existing.email} is already a service administrator; nothing changed.")
        return

    password_hash = None
    if existing is None:
        name = (name or "").strip() or click.prompt("Full name").strip()
        if not name:
            raise click.ClickException("Enter the service administrator's full name.")
        if not has_visible_name(name):
            raise click.ClickException(name_message() + ".")
        if password is None:
            password = click.prompt(
                "Password",
                hide_input=True,
                confirmation_prompt=True,
                value_proc=lambda value: _acceptable_password(value, email),
            )
        else:
            _acceptable_password(password, email, error=click.ClickException)
        password_hash = hash_password(password)

    try:
        result = make_service_admin(email, name, password_hash)
    except StaffChangeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if result.created:
        click.echo(f"Created service administrator {result.user.email} ({result.user.full_name}).")
    else:
        click.echo(
            f"{result.user.email} is now a service administrator. "
            "Their name and password are unchanged."
        )


@charter_cli.command("appoint-administrator")
@click.argument("email")
@click.option("--charter", "slug", metavar="SLUG", help="The charter (default: the first one).")
def appoint_administrator(email: str, slug: str | None):
    """Appoint the existing, confirmed account EMAIL an administrator of a charter."""
    charter = charters.charter_by_slug(slug) if slug else charters.default_charter()
    if charter is None:
        raise click.ClickException(
            f"There is no charter '{slug}'." if slug else "There is no charter yet."
        )
    try:
        user = appoint(_valid_email(email), ADMINISTRATOR, charter, None, notify=False)
    except StaffChangeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{user.email} is now an administrator of {charter.name} ({charter.slug}).")


def _acceptable_password(password: str, email: str, error=click.UsageError) -> str:
    """The service's password policy, so the command line and the web agree. click.prompt
    shows a UsageError from its value_proc and asks again."""
    problem = password_problem(password, email)
    if problem:
        raise error(problem)
    return password
