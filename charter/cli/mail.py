import click

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.infrastructure.mail import deliver_pending


@charter_cli.command("send-emails")
@click.option("--limit", default=100, show_default=True, help="How many to send in this run.")
def send_emails(limit: int):
    """Deliver queued emails from the outbox (SMTP if MAIL_SERVER is set, else the log)."""
    sent = deliver_pending(limit)
    db.session.commit()
    click.echo(f"Sent {sent} email{'s' if sent != 1 else ''}.")
