from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.scheme import Measure


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


class Contract(db.Model):
    """A contract an organisation won from a public-sector commissioner."""

    __tablename__ = "contracts"

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

    commissioner: Mapped[Commissioner] = relationship(lazy="raise")
    commitments: Mapped[list[ContractCommitment]] = relationship(
        back_populates="contract", lazy="raise", cascade="all, delete-orphan"
    )


class ContractCommitment(db.Model):
    """A social value commitment made at tender: a measure and the target promised."""

    __tablename__ = "contract_commitments"
    __table_args__ = (UniqueConstraint("contract_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    notes: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="commitments", lazy="raise")
    measure: Mapped[Measure] = relationship(lazy="raise")
