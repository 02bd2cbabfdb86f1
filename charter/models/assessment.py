"""Applying for the Charter Mark and holding it: an Application (with its snapshot of the evidence
on the day it was made), the assessor's MeasureJudgement per measure, InformationRequests, the
CharterMark itself (certificate number, awarded and expiry dates, valid / suspended / revoked /
expired) and Appeals against a refusal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import Versioned, utcnow
from charter.models.scheme import Measure
from charter.models.signing import OfSigning
from charter.models.user import User

APPLICATION_OPEN = "open"  # with the assessor
APPLICATION_INFORMATION_REQUESTED = "information_requested"
APPLICATION_AWAITING_MODERATION = "awaiting_moderation"
APPLICATION_AWARDED = "awarded"
APPLICATION_REFUSED = "refused"
APPLICATION_STATUSES = {
    APPLICATION_OPEN: "Being assessed",
    APPLICATION_INFORMATION_REQUESTED: "Information requested",
    APPLICATION_AWAITING_MODERATION: "Waiting for moderation",
    APPLICATION_AWARDED: "Awarded",
    APPLICATION_REFUSED: "Refused",
}

VERDICT_MET = "met"
VERDICT_PARTLY_MET = "partly_met"
VERDICT_NOT_MET = "not_met"
VERDICTS = {VERDICT_MET: "Met", VERDICT_PARTLY_MET: "Partly met", VERDICT_NOT_MET: "Not met"}

MARK_VALID = "valid"
MARK_SUSPENDED = "suspended"
MARK_REVOKED = "revoked"
MARK_EXPIRED = "expired"
MARK_SUPERSEDED = "superseded"  # replaced by a renewal

APPEAL_LODGED = "lodged"
APPEAL_UPHELD = "upheld"
APPEAL_DISMISSED = "dismissed"
APPEAL_STATUSES = {
    APPEAL_LODGED: "Waiting for a decision",
    APPEAL_UPHELD: "Upheld",
    APPEAL_DISMISSED: "Dismissed",
}


class Application(OfSigning, Versioned, db.Model):
    """An application for the Charter Mark (or its renewal), judged on a snapshot of the
    evidence taken when it was made, so later edits cannot change what was assessed."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    is_renewal: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(30), default=APPLICATION_OPEN, index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[dict] = mapped_column(JSON)
    # The assessor's recommendation and decision.
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rationale: Mapped[str | None] = mapped_column(Text)
    # Set when the scheme asks for moderation: the second assessor who confirmed the award.
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Optimistic lock: two assessors deciding at once cannot both commit.

    judgements: Mapped[list[MeasureJudgement]] = relationship(
        back_populates="application", lazy="raise", cascade="all, delete-orphan"
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")

    @property
    def status_label(self) -> str:
        return APPLICATION_STATUSES.get(self.status, self.status)


class MeasureJudgement(db.Model):
    __tablename__ = "measure_judgements"
    __table_args__ = (UniqueConstraint("application_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    judged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    judged_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="judgements", lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")

    @property
    def verdict_label(self) -> str:
        return VERDICTS.get(self.verdict, self.verdict)


class InformationRequest(db.Model):
    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    questions: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]


class CharterMark(OfSigning, db.Model):
    """An awarded Charter Mark: the certificate behind /verify and the badge."""

    __tablename__ = "charter_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    # Random, not sequential: it must not reveal how many marks exist or invite guessing.
    certificate_number: Mapped[str] = mapped_column(String(20), unique=True)
    awarded_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=MARK_VALID, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class Appeal(db.Model):
    __tablename__ = "appeals"
    __table_args__ = (UniqueConstraint("application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    grounds: Mapped[str] = mapped_column(Text)
    lodged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lodged_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=APPEAL_LODGED, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def status_label(self) -> str:
        return APPEAL_STATUSES.get(self.status, self.status)
