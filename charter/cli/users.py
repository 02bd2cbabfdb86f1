"""`flask charter create-admin EMAIL`: the first administrator, or promote an existing account."""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email

from charter.cli import charter_cli
from charter.extensions import db
from charter.models.user import ROLE_ADMIN
from charter.services.domain.accounts import (
    hash_password,
    normalise_email,
    password_problem,
    user_by_email,
)
from charter.services.domain.staff import StaffChangeRefused, make_admin
from charter.services.domain.text import has_visible_name, name_message


def _valid_email(email: str) -> str:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(
            f"'{email}' is not a valid email address ({exc}).", param_hint="EMAIL"
        ) from exc
    return normalise_email(email)


@charter_cli.command("create-admin")
@click.argument("email")
@click.option("--name", help="Full name of a new administrator (prompted for if not given).")
@click.option(
    "--password",
    help="Password of a new administrator (prompted for if not given; prefer the prompt, "
    "so the password stays out of your shell history).",
)
def create_admin(email: str, name: str | None, password: str | None):
    """Create a scheme administrator with EMAIL, or make the existing account an administrator."""
    email = _valid_email(email)
    existing = user_by_email(email)
    if existing is not None and existing.role == ROLE_ADMIN:
        click.echo(f"{existing.email} is already an administrator; nothing changed.")
        return

    password_hash = None
    if existing is None:
        name = (name or "").strip() or click.prompt("Full name").strip()
        if not name:
            raise click.ClickException("Enter the administrator's full name.")
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
        result = make_admin(email, name, password_hash)
    except StaffChangeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if result.created:
        click.echo(f"Created administrator {result.user.email} ({result.user.full_name}).")
    else:
        click.echo(
            f"{result.user.email} was a {result.previous_role} and is now an administrator. "
            "Their name and password are unchanged."
        )


def _acceptable_password(password: str, email: str, error=click.UsageError) -> str:
    """The service's password policy, so the command line and the web agree. click.prompt
    shows a UsageError from its value_proc and asks again."""
    problem = password_problem(password, email)
    if problem:
        raise error(problem)
    return password
