"""The outbox: every email the service sends, and where its delivery has got to.

An email is written here in the same transaction as the change that caused it, so a rolled-back
change sends nothing; the delivery worker (charter.services.infrastructure.mail.delivery) sends
it afterwards and records each attempt on the row, so administrators can see what failed.
"""

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import utcnow

# Delivery states. "failed_will_retry" and "failed_permanently" are the words administrators
# see (as "Will retry" and "Failed"); the worker claims "queued" and due "failed_will_retry".
MAIL_QUEUED = "queued"
MAIL_SENDING = "sending"
MAIL_SENT = "sent"
MAIL_RETRYING = "failed_will_retry"
MAIL_FAILED = "failed_permanently"
MAIL_STATES = (MAIL_QUEUED, MAIL_SENDING, MAIL_SENT, MAIL_RETRYING, MAIL_FAILED)


class OutboxEmail(db.Model):
    """One email: what to send, and its delivery state (docs/operations.md, "Email delivery")."""

    __tablename__ = "outbox_emails"
    __table_args__ = (
        # The worker's claim: due emails in these states, oldest first.
        Index("ix_outbox_emails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Extra message headers the delivery worker adds, e.g. List-Unsubscribe (RFC 8058) on reminders.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=MAIL_QUEUED, server_default=MAIL_QUEUED)
    # Attempts started, counted when a worker claims the email (so a crash mid-send counts too).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # When a retry is due; empty means as soon as a worker is free.
    next_attempt_at: Mapped[datetime | None]
    # When a worker claimed it ("sending"): a claim older than the lease is taken to be a worker
    # that stopped mid-send, and the email is tried again.
    claimed_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    # What went wrong last, written by the service with email addresses taken out.
    last_error: Mapped[str | None] = mapped_column(String(500))
    # The Message-ID we gave it (SMTP) or GOV.UK Notify's notification id, to trace it there.
    provider_reference: Mapped[str | None] = mapped_column(String(255))
