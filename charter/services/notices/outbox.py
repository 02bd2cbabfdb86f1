"""Queueing: an email is rendered and added to the outbox in the same transaction as the change
that caused it, so a rolled-back change sends nothing. The delivery worker sends it afterwards
(``infrastructure/mail/delivery.py``). A caller that needs extra headers sets ``headers`` on the
returned row."""

from __future__ import annotations

from flask import current_app, render_template

from charter.award import named_subject
from charter.extensions import db
from charter.models import OutboxEmail
from charter.services.infrastructure.bulk_insert import insert_many
from charter.services.notices.recipients import Recipient, members_of
from charter.services.notices.tokens import reminder_headers, unsubscribe_url


def queue_email(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """Render ``templates/emails/<template>.txt`` and add it to the outbox (not committed)."""
    body = render_template(f"emails/{template}.txt", **context)
    subject = named_subject(subject)
    email = OutboxEmail(to_address=to, subject=subject, body=body)
    db.session.add(email)
    # No address in the log: logs are kept longer and seen by more people than the outbox.
    current_app.logger.info("Email queued: %s", subject)
    return email


def email_members(organisation, subject: str, template: str, **context) -> None:
    """Queue the same email to every member of ``organisation`` (each gets ``recipient``)."""
    for member in members_of(organisation):
        queue_email(
            member.email, subject, template, recipient=member, organisation=organisation, **context
        )


def queue_bulk(messages: list[dict]) -> int:
    """Add many outbox emails in one statement (``to_address``, ``subject``, ``body``,
    ``headers``). Not committed."""
    return insert_many(OutboxEmail, messages)


def render_message(
    recipient: Recipient,
    subject: str,
    template: str,
    *,
    reminder: bool,
    **context,
) -> dict | None:
    """One outbox row for ``recipient``; None for a reminder the person has turned off."""
    if reminder and not recipient.reminders:
        return None
    url = unsubscribe_url(recipient.user_id) if reminder else None
    body = render_template(
        f"emails/{template}.txt", recipient=recipient, unsubscribe_url=url, **context
    )
    return {
        "to_address": recipient.email,
        "subject": named_subject(subject),
        "body": body,
        "headers": reminder_headers(url) if reminder else None,
    }
