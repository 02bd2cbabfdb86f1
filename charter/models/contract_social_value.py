"""What a council's social value policy asks of a contract after award (issue 21, Cheshire West
and Chester's Social Value Policy): alternative commitments of equal value, and service credits.

A supplier that cannot deliver a commitment proposes an alternative (another measure and target,
with its reason); the commissioner's contract manager accepts it only when its value by the
proxy values in force is at least the original's. Every proposal stays on the record with the
two values the decision was made on, accepted or refused; an accepted one becomes a commitment
of its own and the original is marked substituted (ContractCommitment.substituted_at).

A service credit is a reduction of contractual payments the contract manager records against a
contract when its social value commitments were not delivered, where the charter's scheme has
``[service_credits]`` and the contract is above its threshold.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.contract import ContractCommitment
from charter.models.scheme import Measure
from charter.models.user import User

ALTERNATIVE_PROPOSED = "proposed"
ALTERNATIVE_ACCEPTED = "accepted"
ALTERNATIVE_REFUSED = "refused"
ALTERNATIVE_LABELS = {
    ALTERNATIVE_PROPOSED: "Waiting for the contract manager",
    ALTERNATIVE_ACCEPTED: "Accepted",
    ALTERNATIVE_REFUSED: "Refused",
}


class CommitmentAlternative(db.Model):
    """A supplier's proposal to replace a commitment it cannot deliver, and the decision."""

    __tablename__ = "commitment_alternatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    original_id: Mapped[int] = mapped_column(ForeignKey("contract_commitments.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ALTERNATIVE_PROPOSED)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # The values the decision was made on: target times the proxy value in force that day.
    original_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    alternative_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    # Why it was refused, as the contract manager and the supplier were told.
    refusal: Mapped[str | None] = mapped_column(Text)
    # The commitment an accepted alternative became.
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("contract_commitments.id"))

    original: Mapped[ContractCommitment] = relationship(foreign_keys=[original_id], lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")

    @property
    def status_label(self) -> str:
        return ALTERNATIVE_LABELS.get(self.status, self.status)


class ServiceCredit(db.Model):
    """A service credit the contract manager applied to a contract: an amount in pounds, why,
    and the period of the commitments missed."""

    __tablename__ = "service_credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reason: Mapped[str] = mapped_column(Text)
    period_start: Mapped[date]
    period_end: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User | None] = relationship(lazy="raise")
