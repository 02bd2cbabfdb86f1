"""What a signatory says about itself to a charter whose scheme asks (issue 21): the minimum
standards declaration and the self-assessment. Both are rows of a signing (``OfSigning``), kept
for good: the current one is the latest, and each keeps the words it answered, so a later
version of the scheme does not change what was declared or assessed.

- A **minimum standards declaration** (Cheshire West and Chester's policy: "Before the Council
  applies any social value requirements to any procurement process, it would expect the minimum
  standards from all bidders"): an owner affirms the scheme's statements; it holds for a year
  (``lapses_on``) unless renewed (charter.services.domain.minimum_standards).
- A **self-assessment** (Warwickshire's "Social Value Maturity Index self-assessment"): every
  question answered, each answer's score, the total and the level it reaches; published on the
  register only if the organisation agreed (charter.services.domain.self_assessments).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.signing import OfSigning


class StandardsDeclaration(OfSigning, db.Model):
    """One declaration that the organisation meets the scheme's minimum standards."""

    __tablename__ = "standards_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The scheme version whose standards were declared, and its statements as they were shown.
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    standards: Mapped[list[str]] = mapped_column(JSON)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The first day it no longer holds: a year after the day it was declared.
    lapses_on: Mapped[date] = mapped_column(index=True)


class SelfAssessment(OfSigning, db.Model):
    """One completed self-assessment: answers, total score and level, and whether the
    organisation agreed to publish it."""

    __tablename__ = "self_assessments"
    # Once a year at most (the service's rule); one a day is what the database can hold to, so
    # a form sent twice at once saves one.
    __table_args__ = (UniqueConstraint("signing_id", "completed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"))
    name: Mapped[str] = mapped_column(String(200))
    # Each question as answered: [{"code", "theme", "question", "answer", "score"}].
    answers: Mapped[list[dict]] = mapped_column(JSON)
    score: Mapped[int]
    best_score: Mapped[int]
    level: Mapped[str] = mapped_column(String(100))
    completed_on: Mapped[date]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published: Mapped[bool] = mapped_column(default=False)
