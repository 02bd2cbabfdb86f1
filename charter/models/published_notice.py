"""Contracts from published notices (issue 22): what the Open Contracting Data Standard (OCDS)
notices of Find a Tender and Contracts Finder say, kept as published, and what the service
makes of them.

- NoticeImport: one run of ``flask charter import-notices`` over one file, with its counts.
- NoticeRelease: one OCDS release as published, by ``ocid`` and release ``id``. Releases are
  corrected by later releases, never replaced or deleted, so importing a file twice stores
  nothing new.
- NoticeRecord: the compiled release of an ``ocid`` (every release merged by ocdsmerge), the
  latest wins.
- AwardedSupplier: one supplier of one award of a record, matched (or not) to an organisation
  by its identifier and to a commissioner by the buyer's: unmatched, proposed to the
  organisation, accepted (then a Contract) or declined.
- BuyerIdentifier: an OCDS buyer identifier a commissioner on the managed list publishes under
  (GB-LAE-..., GB-PPON-..., or a Contracts Finder party id).
- NoticeEvent: the append-only audit of every import, match, acceptance and refusal.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.contract import Commissioner, Contract
from charter.models.history import AppendOnlyError
from charter.models.user import User

# An amendment's standing (AwardedSupplier.amendment_status).
AMENDMENT_PROPOSED = "proposed"
AMENDMENT_DECLINED = "declined"
# A termination's standing (AwardedSupplier.termination_status): a later notice says the
# contract was terminated (Find a Tender's UK11: contracts[].status "terminated"); proposed to
# the organisation, then accepted (the contract ends on the record on that date) or declined.
TERMINATION_PROPOSED = "proposed"
TERMINATION_ACCEPTED = "accepted"
TERMINATION_DECLINED = "declined"

# An awarded supplier's standing: waiting for an administrator (no organisation or no
# commissioner matched), proposed to its organisation (or offered by name), accepted (a
# contract) or declined.
AWARD_UNMATCHED = "unmatched"
AWARD_PROPOSED = "proposed"
# No organisation has the supplier's identifier, but one has (nearly) its name: offered to that
# organisation to claim, with a warning, never proposed as matched.
AWARD_NAME_MATCH = "name_match"
AWARD_ACCEPTED = "accepted"
AWARD_DECLINED = "declined"


class NoticeImport(db.Model):
    """One file imported: its name, digest and what it held (counted as it is read)."""

    __tablename__ = "notice_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    release_count: Mapped[int]
    new_release_count: Mapped[int]
    actor_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoticeRelease(db.Model):
    """One OCDS release exactly as published (its JSON text), never changed once stored."""

    __tablename__ = "notice_releases"
    __table_args__ = (
        UniqueConstraint("ocid", "release_id"),
        # The ocids an import added to, in order, a batch at a time (published_notices.py).
        Index("ix_notice_releases_import_id_ocid", "import_id", "ocid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ocid: Mapped[str] = mapped_column(String(200), index=True)
    release_id: Mapped[str] = mapped_column(String(200))
    release_date: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    package_uri: Mapped[str | None] = mapped_column(String(1000))
    data: Mapped[str] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("notice_imports.id"))


class NoticeRecord(db.Model):
    """The compiled release of one ``ocid``: recompiled whenever a new release arrives."""

    __tablename__ = "notice_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    ocid: Mapped[str] = mapped_column(String(200), unique=True)
    compiled: Mapped[str] = mapped_column(Text)
    release_count: Mapped[int]
    notice_url: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BuyerIdentifier(db.Model):
    """An identifier a commissioner is published under as an OCDS buyer."""

    __tablename__ = "buyer_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("commissioners.id"), index=True)
    # Compared case-insensitively, spaces removed (published_notices.identifier_key).
    identifier: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commissioner: Mapped[Commissioner] = relationship(lazy="raise")


class AwardedSupplier(db.Model):
    """One supplier of one award in a compiled record, and what became of it."""

    __tablename__ = "awarded_suppliers"
    __table_args__ = (UniqueConstraint("ocid", "award_id", "supplier_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ocid: Mapped[str] = mapped_column(String(200), index=True)
    award_id: Mapped[str] = mapped_column(String(200))
    # The supplier's identifier as "SCHEME-ID" when it has one, else its party id or name (a
    # digest when longer than the column).
    supplier_key: Mapped[str] = mapped_column(String(300))
    supplier_name: Mapped[str] = mapped_column(Text)
    supplier_identifier: Mapped[str | None] = mapped_column(String(300))
    buyer_name: Mapped[str] = mapped_column(Text)
    buyer_identifier: Mapped[str | None] = mapped_column(String(300))
    # As published, however long (a contract's title is checked when it is accepted).
    title: Mapped[str] = mapped_column(Text)
    # As published: no value, or one in another currency, is shown as such, never converted.
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    notice_url: Mapped[str | None] = mapped_column(String(1000))
    # Why it waits for an administrator, when it does.
    unmatched_reason: Mapped[str | None] = mapped_column(Text)

    status: Mapped[str] = mapped_column(String(20), default=AWARD_UNMATCHED, index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    commissioner_id: Mapped[int | None] = mapped_column(ForeignKey("commissioners.id"))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Once accepted, value and dates above are the contract's as accepted. A later notice
    # (a contract change) publishing other ones proposes them here, as an amendment the
    # organisation accepts or declines: never written over the contract without a person.
    amendment_status: Mapped[str | None] = mapped_column(String(20))
    amendment_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    amendment_currency: Mapped[str | None] = mapped_column(String(3))
    amendment_start_date: Mapped[date | None]
    amendment_end_date: Mapped[date | None]

    # A termination notice for the accepted contract: the date it says the contract ended
    # (contracts[].implementation.endDate in the UK profile; None when it gives none) and its
    # reason code (terminationRationaleClassification.id), proposed until a member answers.
    termination_status: Mapped[str | None] = mapped_column(String(20))
    termination_date: Mapped[date | None]
    termination_reason: Mapped[str | None] = mapped_column(String(200))

    commissioner: Mapped[Commissioner | None] = relationship(lazy="raise")
    contract: Mapped[Contract | None] = relationship(lazy="raise")


NOTICE_ACTIONS = {
    "imported": "Notices imported",
    "matched": "Award matched to an organisation and proposed",
    "name_matched": "Award offered to an organisation whose name matched, to claim",
    "claimed": "Award matched by name claimed as a contract",
    "unmatched": "Award waiting for an administrator",
    "accepted": "Proposed contract accepted",
    "declined": "Proposed contract declined",
    "amendment": "Change to an accepted contract published, and proposed",
    "amended": "Published change to a contract accepted",
    "not_amended": "Published change to a contract declined",
    "termination": "Termination of an accepted contract published, and proposed",
    "terminated": "Published termination accepted: contract ended",
    "not_terminated": "Published termination declined",
    "ppon_set": "Organisation recorded its PPON",
    "ppon_removed": "Organisation removed its PPON",
    "buyer_id_added": "Buyer identifier added to a commissioner",
    "buyer_id_removed": "Buyer identifier removed from a commissioner",
}


class NoticeEvent(db.Model):
    """One row per import, match, acceptance or refusal. Append-only."""

    __tablename__ = "notice_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("notice_imports.id"))
    awarded_supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("awarded_suppliers.id"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="raise")

    @property
    def action_label(self) -> str:
        return NOTICE_ACTIONS.get(self.action, self.action)


def _refuse(what: str):
    def refuse(mapper, connection, target):  # noqa: ARG001
        raise AppendOnlyError(f"{what} are append-only")

    return refuse


event.listen(NoticeEvent, "before_update", _refuse("Notice events"))
event.listen(NoticeEvent, "before_delete", _refuse("Notice events"))
