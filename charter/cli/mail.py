"""`flask charter send-emails` (deliver what is due, once) and `flask charter mail-worker`."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app

from charter.cli import charter_cli
from charter.extensions import db
from charter.services.infrastructure.mail.backends import backend_name, configuration_problems
from charter.services.infrastructure.mail.delivery import DeliveryCounts, deliver_due


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _check_backend() -> None:
    problems = configuration_problems(current_app.config)
    if problems:
        raise click.ClickException("Email cannot be sent: " + "; ".join(problems))


def _summary(counts: DeliveryCounts) -> str:
    text = f"Sent {_plural(counts.sent, 'email')}."
    if counts.retrying:
        text += f" {counts.retrying} will be tried again later."
    if counts.failed:
        text += (
            f" {_plural(counts.failed, 'email')} could not be sent"
            " (see Administration > Email delivery)."
        )
    return text


@charter_cli.command("send-emails")
@click.option("--limit", default=100, show_default=True, help="How many to try in this run.")
def send_emails(limit: int):
    """Deliver the emails that are due now, once, through the configured backend."""
    _check_backend()
    click.echo(_summary(deliver_due(limit)))


@charter_cli.command("mail-worker")
@click.option(
    "--poll-seconds",
    type=click.FloatRange(min=0.1),
    help="How long to wait when nothing is due (default: MAIL_WORKER_POLL_SECONDS, or 5).",
)
@click.option("--stop-when-empty", is_flag=True, help="Stop when nothing is due (scripts, tests).")
def mail_worker(poll_seconds: float | None, stop_when_empty: bool):
    """Deliver queued emails until stopped (SIGTERM or Ctrl+C finish the email being sent)."""
    _check_backend()
    app = current_app._get_current_object()
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    note = ""
    if backend_name(app.config) == "log":
        note += " Emails go to the log only: set MAIL_BACKEND to send them."
    if db.engine.dialect.name == "sqlite":
        note += " SQLite: run only one mail worker."
    click.echo(f"Mail worker started ({backend_name(app.config)} backend).{note}")
    from charter.services.infrastructure.mail.worker import run_worker

    try:
        totals = run_worker(
            app, stop=stop, stop_when_empty=stop_when_empty, poll_seconds=poll_seconds
        )
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("Mail worker stopped. " + _summary(totals))
