"""What keeps a signatory and a holder in good standing after signing and the award:
the annual confirmation of the commitment, and the random audits of Charter Mark holders.

An audit draw is published (its seed shown to administrators) before it is drawn, so anyone can
re-run the draw from the seed and the sorted list of eligible certificate numbers it records.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import Versioned, utcnow
from charter.models.signing import OfSigning


class AnnualConfirmation(OfSigning, db.Model):
    """One year's confirmation by a signatory's owner that it still commits to the principles.
    Opened on the anniversary of signing; closes ``closes_on`` (the scheme's window)."""

    __tablename__ = "annual_confirmations"
    __table_args__ = (UniqueConstraint("signing_id", "anniversary"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    anniversary: Mapped[date]
    closes_on: Mapped[date] = mapped_column(index=True)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


DRAW_PUBLISHED = "published"
DRAW_DRAWN = "drawn"


class AuditDraw(db.Model):
    """The year's random draw of Charter Mark holders for audit."""

    __tablename__ = "audit_draws"
    __table_args__ = (UniqueConstraint("year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    # Published on the admin page from ``published_on``; the draw happens on ``draw_on``.
    seed: Mapped[str] = mapped_column(String(64))
    published_on: Mapped[date]
    draw_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=DRAW_PUBLISHED)
    share_percent: Mapped[int | None]
    # The sorted certificate numbers the draw chose from, and those it chose.
    eligible_numbers: Mapped[list[str] | None] = mapped_column(JSON)
    drawn_numbers: Mapped[list[str] | None] = mapped_column(JSON)
    drawn_at: Mapped[datetime | None]


AUDIT_ASSIGNED = "assigned"
AUDIT_DOCUMENTS_REQUESTED = "documents_requested"
AUDIT_DOCUMENTS_SENT = "documents_sent"
AUDIT_CONFIRMED = "confirmed"
AUDIT_REFERRED = "referred"  # concerns found: an administrator decides
AUDIT_CLOSED = "closed"  # an administrator decided on the referral
AUDIT_STATUSES = {
    AUDIT_ASSIGNED: "Assigned to an assessor",
    AUDIT_DOCUMENTS_REQUESTED: "Source documents requested",
    AUDIT_DOCUMENTS_SENT: "Source documents sent",
    AUDIT_CONFIRMED: "Figures confirmed",
    AUDIT_REFERRED: "Concerns: referred to an administrator",
    AUDIT_CLOSED: "Concerns: decided by an administrator",
}
ADMIN_ACTIONS = {
    "suspend": "Suspended the organisation",
    "revoke": "Revoked the Charter Mark",
    "no_action": "No further action",
}


class MarkAudit(OfSigning, Versioned, db.Model):
    """An audit of one holder's verified figures, drawn at random."""

    __tablename__ = "mark_audits"
    __table_args__ = (UniqueConstraint("signing_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("audit_draws.id"))
    year: Mapped[int]
    certificate_number: Mapped[str] = mapped_column(String(20))
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default=AUDIT_ASSIGNED, index=True)
    # The return lines whose source documents were asked for, and what was asked.
    requested_line_ids: Mapped[list[int] | None] = mapped_column(JSON)
    request_text: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime | None]
    # When the organisation last told the assessor its documents were ready.
    documents_sent_at: Mapped[datetime | None]
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    admin_action: Mapped[str | None] = mapped_column(String(20))
    admin_reason: Mapped[str | None] = mapped_column(Text)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    admin_decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic lock: two people deciding at once cannot both commit.

    @property
    def status_label(self) -> str:
        return AUDIT_STATUSES.get(self.status, self.status)

    @property
    def admin_action_label(self) -> str | None:
        return ADMIN_ACTIONS.get(self.admin_action) if self.admin_action else None
