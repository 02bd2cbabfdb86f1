"""Email goes through the outbox table: queued in the same transaction as the change that
caused it, delivered afterwards (logged in development; an SMTP/Notify sender in production)."""

from __future__ import annotations

from flask import current_app, render_template

from charter.extensions import db
from charter.models import OutboxEmail


def queue_email(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """Render ``templates/emails/<template>.txt`` and add it to the outbox (not committed)."""
    body = render_template(f"emails/{template}.txt", **context)
    email = OutboxEmail(to_address=to, subject=subject, body=body)
    db.session.add(email)
    current_app.logger.info("Email queued to %s: %s", to, subject)
    return email
