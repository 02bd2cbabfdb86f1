"""A copy of a person's information (UK GDPR Article 15), built as a ZIP and kept briefly.

A small copy is built while the person waits; a large one (an owner's organisation with many
evidence files) is built by the scheduler and the link emailed. The ZIP is kept in the row, not
in the evidence store, so the evidence store only ever holds evidence, and the retention job
deletes the row when the link expires.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.user import User

EXPORT_QUEUED = "queued"
EXPORT_READY = "ready"


class DataExport(db.Model):
    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose information it is, and who asked: the person, or an administrator for them.
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=EXPORT_QUEUED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    size: Mapped[int | None]
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    subject: Mapped[User] = relationship(foreign_keys=[subject_id], lazy="raise")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="raise")
