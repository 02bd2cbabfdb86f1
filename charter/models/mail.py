from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import utcnow


class OutboxEmail(db.Model):
    """Every email the service sends is written here first, in the same transaction as the
    change that caused it; a delivery worker (or the log, in development) sends it."""

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Extra message headers the delivery worker adds, e.g. List-Unsubscribe (RFC 8058) on reminders.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
