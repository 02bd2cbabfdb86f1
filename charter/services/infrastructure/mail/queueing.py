"""Queueing: an email is rendered and added to the outbox in the same transaction as the change
that caused it, so a rolled-back change sends nothing. The delivery worker sends it afterwards
(see delivery.py). A caller that needs extra headers sets ``headers`` on the returned row."""

from __future__ import annotations

from flask import current_app, render_template

from charter.extensions import db
from charter.models import OutboxEmail


def queue_email(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """Render ``templates/emails/<template>.txt`` and add it to the outbox (not committed)."""
    body = render_template(f"emails/{template}.txt", **context)
    email = OutboxEmail(to_address=to, subject=subject, body=body)
    db.session.add(email)
    # No address in the log: logs are kept longer and seen by more people than the outbox.
    current_app.logger.info("Email queued: %s", subject)
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
