"""The timetabled action plan: an ActionPlan goes draft → submitted → approved or returned (and is
superseded by a revision), with a PlanTarget per measure (baseline, target, date) and
PlanMilestones within the plan's term."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.scheme import Measure
from charter.models.signing import OfSigning
from charter.models.user import User

PLAN_DRAFT = "draft"
PLAN_SUBMITTED = "submitted"
PLAN_APPROVED = "approved"
PLAN_RETURNED = "returned"
PLAN_SUPERSEDED = "superseded"
PLAN_STATUSES = {
    PLAN_DRAFT: "Draft",
    PLAN_SUBMITTED: "Waiting for review",
    PLAN_APPROVED: "Approved",
    PLAN_RETURNED: "Returned for changes",
    PLAN_SUPERSEDED: "Replaced by a later revision",
}


class ActionPlan(OfSigning, db.Model):
    """One revision of an organisation's timetabled action plan. Revisions are never edited once
    submitted: changing an approved plan starts a new draft revision, so history is kept."""

    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("signing_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    revision: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=PLAN_DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The assessor's reasons when returning a plan, or a note when approving it.
    decision_comment: Mapped[str | None] = mapped_column(Text)

    targets: Mapped[list[PlanTarget]] = relationship(
        back_populates="plan", lazy="raise", cascade="all, delete-orphan", order_by="PlanTarget.id"
    )
    milestones: Mapped[list[PlanMilestone]] = relationship(
        back_populates="plan",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PlanMilestone.due_date",
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="raise")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")

    @property
    def status_label(self) -> str:
        return PLAN_STATUSES.get(self.status, self.status)


class PlanTarget(db.Model):
    __tablename__ = "plan_targets"
    __table_args__ = (UniqueConstraint("plan_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    baseline: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    target_date: Mapped[date]
    approach: Mapped[str] = mapped_column(Text)
    # Why the target goes the wrong way from the baseline, where the measure allows that.
    backwards_reason: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[ActionPlan] = relationship(back_populates="targets", lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")


class PlanMilestone(db.Model):
    __tablename__ = "plan_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date]

    plan: Mapped[ActionPlan] = relationship(back_populates="milestones", lazy="raise")
