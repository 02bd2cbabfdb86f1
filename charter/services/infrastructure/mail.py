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


def email_members(organisation, subject: str, template: str, **context) -> None:
    """Queue the same email to every member of ``organisation`` (each gets ``recipient``)."""
    from sqlalchemy import select

    from charter.models import Membership, User

    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id)
        .order_by(User.id)
    )
    for member in members:
        queue_email(
            member.email, subject, template, recipient=member, organisation=organisation, **context
        )


def deliver_pending(limit: int = 100) -> int:
    """Send queued emails; return how many were sent. Not committed by this function.

    With MAIL_SERVER set, emails go by SMTP; otherwise they are written to the log, which is
    what development and the demo want (the outbox page shows them too).
    """
    import smtplib
    from email.message import EmailMessage

    from sqlalchemy import select

    from charter.models.base import utcnow

    cfg = current_app.config
    pending = list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.sent_at.is_(None))
            .order_by(OutboxEmail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not pending:
        return 0
    server = cfg.get("MAIL_SERVER")
    smtp = smtplib.SMTP(server, cfg.get("MAIL_PORT", 25)) if server else None
    try:
        for email in pending:
            if smtp is None:
                current_app.logger.info(
                    "Email to %s: %s\n%s", email.to_address, email.subject, email.body
                )
            else:
                message = EmailMessage()
                message["From"] = cfg["MAIL_FROM"]
                message["To"] = email.to_address
                message["Subject"] = email.subject
                message.set_content(email.body)
                smtp.send_message(message)
            email.sent_at = utcnow()
    finally:
        if smtp is not None:
            smtp.quit()
    return len(pending)
