"""Contracts an organisation won from public-sector commissioners: the Commissioner list, each
Contract (confirmed or disputed by the commissioner's contract manager), the social value
ContractCommitments made on it, and the ContractManagers who confirm contracts and endorse
per-contract figures (invited as any invitation is: charter.models.invitation)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from charter.extensions import db
from charter.models.base import Versioned, utcnow
from charter.models.scheme import Measure
from charter.models.user import User

# A contract's standing with its commissioner. A supplier records it (unconfirmed); the
# commissioner's contract manager confirms it or disputes it with a reason; editing the value or
# dates of a confirmed contract sends it back to unconfirmed.
CONTRACT_UNCONFIRMED = "unconfirmed"
CONTRACT_CONFIRMED = "confirmed"
CONTRACT_DISPUTED = "disputed"
CONTRACT_CONFIRMATION_LABELS = {
    CONTRACT_UNCONFIRMED: "Waiting for the commissioner",
    CONTRACT_CONFIRMED: "Confirmed by the commissioner",
    CONTRACT_DISPUTED: "Disputed by the commissioner",
}


class Commissioner(db.Model):
    """A public-sector body that awards contracts. A managed list: administrators add to it,
    organisations pick from it, so the same council is not entered five ways."""

    __tablename__ = "commissioners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # org-id of the body where known, e.g. GB-LAE-SHR.
    org_id: Mapped[str | None] = mapped_column(String(45))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CharterCommissioner(db.Model):
    """A commissioner taking part in a charter (issue 20). The commissioners are one managed
    list for the service; each charter names those that take part in it (an NHS trust or a
    police force may take part in two counties' charters). A contract counts for a charter when
    its commissioner takes part in it; its confirmation by the commissioner's contract manager
    is made once and holds for every charter."""

    __tablename__ = "charter_commissioners"

    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), primary_key=True)
    commissioner_id: Mapped[int] = mapped_column(
        ForeignKey("commissioners.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Contract(Versioned, db.Model):
    """A contract an organisation won from a public-sector commissioner."""

    __tablename__ = "contracts"
    stale_message = (
        "The contract changed while you were looking at it: the supplier edited it, or a "
        "contract manager confirmed or disputed it. Nothing you sent was saved. Open the "
        "contract again to see the latest details."
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    start_date: Mapped[date]
    end_date: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Contract monitoring: the commissioner's word on the reference, value and dates.
    confirmation_status: Mapped[str] = mapped_column(
        String(20), default=CONTRACT_UNCONFIRMED, index=True
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    disputed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disputed_at: Mapped[datetime | None]
    # Optimistic lock: a supplier's edit and a commissioner's confirmation cannot both land.
    # The social value weighting at award (percent) from the bands of the charter named, set
    # when the contract is recorded or its value or commissioner changes; None when no band
    # covers it (charter.services.domain.award_weighting, which says which charter's bands).
    award_weighting: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    award_weighting_charter_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id"))

    commissioner: Mapped[Commissioner] = relationship(lazy="raise")
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id], lazy="raise")
    disputed_by: Mapped[User | None] = relationship(foreign_keys=[disputed_by_id], lazy="raise")
    commitments: Mapped[list[ContractCommitment]] = relationship(
        back_populates="contract", lazy="raise", cascade="all, delete-orphan"
    )


class ContractCommitment(db.Model):
    """A social value commitment made at tender: a measure and the target promised, or a
    toolkit pledge (the measure's ``pledge``) with the numbers the supplier put in its [#] and
    how often it reports its indicator (charter.services.domain.pledges)."""

    __tablename__ = "contract_commitments"
    __table_args__ = (UniqueConstraint("contract_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    # None for a pledge: its numbers are the pledge's ("within [#] weeks"), not always a target
    # in the indicator's unit.
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    # A pledge's numbers, one per [#] in order, as typed ("4", "12.5"); None for a commitment
    # that is not a pledge.
    pledge_numbers: Mapped[list[str] | None] = mapped_column(JSON)
    # How often the pledge's indicator is reported: one of the measure's ``frequencies``.
    frequency: Mapped[str | None] = mapped_column(String(20))
    # An alternative of equal value accepted by the contract manager replaces a commitment the
    # supplier could not deliver: the original stays, marked substituted, and the alternative
    # names it (charter.models.contract_social_value.CommitmentAlternative holds the decision).
    substituted_at: Mapped[datetime | None]
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("contract_commitments.id"))

    contract: Mapped[Contract] = relationship(back_populates="commitments", lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")


class ContractManager(db.Model):
    """A person who manages contracts for a commissioner on the managed list: confirms the
    contracts suppliers record against it and endorses or queries their per-contract figures.
    The same person may also be a member of an organisation; they never act on its records."""

    __tablename__ = "contract_managers"
    __table_args__ = (UniqueConstraint("commissioner_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    commissioner: Mapped[Commissioner] = relationship(lazy="raise")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")


# Loaded with every user row (no query of its own): the header's "Contract monitoring" link.
User.manages_contracts = column_property(
    exists()
    .where(ContractManager.user_id == User.id, ContractManager.removed_at.is_(None))
    .correlate_except(ContractManager)
)
