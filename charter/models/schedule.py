"""What the scheduled reviews remember: each ScheduledNotice is given once ever (a reminder,
warning or decision for one subject), and each JobRun records a review's run and its counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import utcnow


class ScheduledNotice(db.Model):
    """A reminder or notice a scheduled review has sent. The unique key is what makes a job
    safe to run twice: the second run finds the notice already given and sends nothing."""

    __tablename__ = "scheduled_notices"
    __table_args__ = (UniqueConstraint("kind", "subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # What the notice is about, e.g. "return:12" or "mark:CM-7K3F9QX2".
    subject_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRun(db.Model):
    """One run of a scheduled review, for the administrators' view and for diagnosing."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(50), index=True)
    run_for: Mapped[date]  # the "today" the job ran as (travel in time for demos and tests)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
