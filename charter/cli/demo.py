"""`flask charter demo-data`: load the demo dataset and print the accounts to try it with."""

from __future__ import annotations

import click

from charter.cli import charter_cli
from charter.demo.builder import DEMO_PASSWORD, DemoAccount, NoSchemeLoaded, load_demo_data
from charter.demo.other_charters import missing_charters
from charter.services.domain.schemes import current_scheme


@charter_cli.command("demo-data")
def demo_data():
    """Load demo users and ~40 organisations with their histories (does nothing if loaded)."""
    try:
        result = load_demo_data(current_scheme())
    except NoSchemeLoaded as exc:
        raise click.ClickException(
            "No scheme is loaded, so there is nothing to sign up to. "
            "Run `flask charter load-scheme` first, then run this command again."
        ) from exc
    if result.created:
        click.echo(f"Loaded the demo data: {result.organisations} organisations.")
        click.echo("With " + ", ".join(result.summary) + ".")
        if missing := missing_charters():
            click.echo(
                "Worcestershire's and Cheshire West and Chester's charters are not loaded, so the "
                "demo is Shropshire's alone. To see several charters, start from an empty "
                "database and load " + " and ".join(missing) + " with `flask charter "
                "load-scheme FILE` before the demo data (`make db` loads every scheme file)."
            )
        if result.certificates:
            click.echo()
            click.echo("Charter Mark certificates (also listed on /admin):")
            for name, number, status in result.certificates:
                click.echo(f"  {number}  {name} ({status})")
    else:
        click.echo("The demo data is already loaded (admin@demo.example exists); nothing changed.")
    click.echo()
    _print_accounts(result.accounts)
    click.echo()
    click.echo(f"Every demo account has the password: {DEMO_PASSWORD}")


def _print_accounts(accounts: list[DemoAccount]) -> None:
    headings = ("Email", "Role", "What it is for")
    rows = [(a.email, a.role, a.what_for) for a in accounts]
    widths = [max(len(str(r[i])) for r in [headings, *rows]) for i in range(2)]
    for email, role, what in [headings, *rows]:
        click.echo(f"{email:<{widths[0]}}  {role:<{widths[1]}}  {what}")
