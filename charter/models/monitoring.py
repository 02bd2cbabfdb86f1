"""Monitoring returns: one MonitoringReturn per organisation and period, a ReturnLine per measure
(its figure, evidence, the assessor's review, and any plausibility flag with the organisation's
explanation and the assessor's check), per-contract figures that contract managers endorse or
query, and the evidence files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import Versioned, utcnow
from charter.models.scheme import Measure
from charter.models.signing import OfSigning
from charter.models.user import User

if TYPE_CHECKING:
    from charter.models.contract import Contract

RETURN_DRAFT = "draft"
RETURN_SUBMITTED = "submitted"
RETURN_QUERIED = "queried"
RETURN_VERIFIED = "verified"
RETURN_STATUSES = {
    RETURN_DRAFT: "Not sent",
    RETURN_SUBMITTED: "Waiting for verification",
    RETURN_QUERIED: "Queried by the assessor",
    RETURN_VERIFIED: "Verified",
}

LINE_PENDING = "pending"
LINE_ACCEPTED = "accepted"
LINE_QUERIED = "queried"
LINE_STATUSES = {LINE_PENDING: "Not reviewed", LINE_ACCEPTED: "Accepted", LINE_QUERIED: "Queried"}

# A commissioner's word on a per-contract figure. Silence is "not endorsed", never a refusal.
FIGURE_NOT_ENDORSED = "not_endorsed"
FIGURE_ENDORSED = "endorsed"
FIGURE_QUERIED = "queried"
FIGURE_ENDORSEMENT_LABELS = {
    FIGURE_NOT_ENDORSED: "Not endorsed",
    FIGURE_ENDORSED: "Endorsed by the commissioner",
    FIGURE_QUERIED: "Queried by the commissioner",
}


class MonitoringReturn(OfSigning, Versioned, db.Model):
    """What an organisation delivered in one monitoring period, measure by measure."""

    __tablename__ = "monitoring_returns"
    __table_args__ = (UniqueConstraint("signing_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=RETURN_DRAFT, index=True)
    # A first return for the period before the plan, from an "already delivering" organisation.
    is_retrospective: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    first_submitted_at: Mapped[datetime | None]
    is_late: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic lock: a submission and a verification racing cannot both commit.

    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="monitoring_return", lazy="raise", cascade="all, delete-orphan"
    )
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id], lazy="raise")

    @property
    def status_label(self) -> str:
        return RETURN_STATUSES.get(self.status, self.status)


class ReturnLine(db.Model):
    """One measure's actual figure for the period, with narrative, evidence and review."""

    __tablename__ = "return_lines"
    __table_args__ = (UniqueConstraint("return_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("monitoring_returns.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    actual_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # A pair's second figure (Measure.parts[1]); actual_value is its first. An achievement has
    # no figure: yes or no, and the date it was achieved (evidence is a file on the line).
    second_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    achieved: Mapped[bool | None]
    achieved_on: Mapped[date | None]
    # Where the line reports a longer period than its return (a pledge reported once a year in
    # the return of the year's last quarter): the first day of the period its figure covers,
    # which ends with the return's. None: the return's own period
    # (charter.services.domain.pledge_periods).
    covers_start: Mapped[date | None]
    narrative: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str] = mapped_column(String(20), default=LINE_PENDING)
    assessor_comment: Mapped[str | None] = mapped_column(Text)
    # The organisation's answer to a query, sent with the resubmission.
    response: Mapped[str | None] = mapped_column(Text)
    # Plausibility (charter.services.domain.plausibility): why the figure is out of line (a
    # contract's figure above its value for the period, FTE above the size band, ten times the
    # usual), set when the figure is saved; NULL when nothing is. The organisation explains it
    # before sending; a flagged figure counts only once an assessor has checked it.
    flag_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    flag_explanation: Mapped[str | None] = mapped_column(Text)
    flag_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    flag_checked_at: Mapped[datetime | None]

    monitoring_return: Mapped[MonitoringReturn] = relationship(back_populates="lines", lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")
    flag_checked_by: Mapped[User | None] = relationship(lazy="raise")
    # For a measure reported per contract, actual_value is the sum of these figures, kept by the
    # returns service in the same transaction (derived, never typed twice).
    figures: Mapped[list[ContractFigure]] = relationship(
        back_populates="line", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def review_label(self) -> str:
        return LINE_STATUSES.get(self.review_status, self.review_status)

    @property
    def is_flagged(self) -> bool:
        return bool(self.flag_reasons)

    @property
    def is_entered(self) -> bool:
        """Whether the line's value is given: its figure, a pair's two, an achievement's yes or
        no (the measure must be loaded)."""
        unit = self.measure.unit
        if unit == "achievement":
            return self.achieved is not None
        if unit == "pair":
            return self.actual_value is not None and self.second_value is not None
        return self.actual_value is not None


class ContractFigure(db.Model):
    """One contract's figure for a per-contract measure in one return. ``contract_id`` NULL is
    the optional "not on a listed contract" figure (at most one per line, kept by the service).
    The commissioner's contract manager endorses or queries a figure; the supplier answers."""

    __tablename__ = "contract_figures"
    __table_args__ = (UniqueConstraint("return_line_id", "contract_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    second_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # a pair's second
    endorsement_status: Mapped[str] = mapped_column(
        String(20), default=FIGURE_NOT_ENDORSED, index=True
    )
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    endorsed_at: Mapped[datetime | None]
    query_comment: Mapped[str | None] = mapped_column(Text)
    queried_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    queried_at: Mapped[datetime | None]
    supplier_response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]

    line: Mapped[ReturnLine] = relationship(back_populates="figures", lazy="raise")
    contract: Mapped[Contract | None] = relationship(lazy="raise")

    @property
    def endorsement_label(self) -> str:
        return FIGURE_ENDORSEMENT_LABELS.get(self.endorsement_status, self.endorsement_status)


class EvidenceFile(db.Model):
    """An uploaded file, stored outside the web root under a random name."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"), index=True)
    # Set when the evidence backs one contract's figure rather than the whole line.
    contract_figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_figures.id"), index=True
    )
    # Set when the file is a source document sent for a random audit of a verified figure
    # (the return is locked by then; the file is added beside the line's own evidence).
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("mark_audits.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceLink(db.Model):
    """Evidence published elsewhere: a web address with a description."""

    __tablename__ = "evidence_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"), index=True)
    contract_figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_figures.id"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(300))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
