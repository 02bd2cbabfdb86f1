"""Organisations and the people who act for them: the Organisation (its lifecycle status, type,
size band, district, sector and its entry on the public register) and Memberships (owner or
contributor). What is about one charter (the scheme signed under, the route, the consent to
publish figures, its entry on that charter's register) is the organisation's signing of it,
charter.models.signing. Invitations to
join are in charter.models.invitation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DDL, ForeignKey, Index, String, Text, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import Versioned, utcnow

if TYPE_CHECKING:
    from charter.models.signing import Signing
    from charter.models.user import User

ORGANISATION_TYPES = {
    "business": "Business",
    "vcse": "Voluntary, community or social enterprise (VCSE)",
    "public": "Public-sector body",
}
ORGANISATION_SIZES = {
    "micro": "Micro (fewer than 10 employees)",
    "small": "Small (10 to 49 employees)",
    "medium": "Medium (50 to 249 employees)",
    "large": "Large (250 or more employees)",
}
OWNER = "owner"
CONTRIBUTOR = "contributor"
MEMBER_ROLES = {OWNER: "Owner", CONTRIBUTOR: "Contributor"}


class Organisation(Versioned, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(100))
    address_line_1: Mapped[str] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    # org-id.guide form: a list prefix ("GB-COH") and the identifier on that list.
    identifier_scheme: Mapped[str] = mapped_column(String(10))
    identifier: Mapped[str | None] = mapped_column(String(30))
    # "GB-COH-01234567", unique when present; NULL for organisations with no identifier.
    org_id: Mapped[str | None] = mapped_column(String(45))
    no_identifier_reason: Mapped[str | None] = mapped_column(Text)
    # The Public Procurement Organisation Number Find a Tender gives a supplier that registers
    # on the Central Digital Platform ("PZPR-8554-XHNX"; org-id list GB-PPON), one more
    # identifier awards in published notices are matched on (issue 22). Unique when present
    # (a unique index: added to SQLite's table without rebuilding it).
    ppon: Mapped[str | None] = mapped_column(String(14), unique=True, index=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the retention job once the organisation has been gone longer than the retention
    # schedule keeps its records: it leaves the register, its people and evidence are removed,
    # and only its name, its Charter Marks (so a certificate still verifies) and the
    # anonymous record of what was done remain.
    records_erased_at: Mapped[datetime | None]
    # Its commitments to charters: read through charter.services.domain.signings.signing_of.
    # In the order they were made: with no charter acting, an organisation's signing is its
    # first (charter.models.signing.acting_signing), however they were loaded.
    signings: Mapped[list[Signing]] = relationship(
        back_populates="organisation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Signing.id",
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"

    # Its lifecycle is its signing's (charter.models.signing): these read and write the signing
    # of the charter acting now (charter.models.signing.acting_charter), or its first. One that
    # has not signed that charter (or any) is "registered" there.
    @property
    def status(self) -> str:
        signing = self._signing()
        return signing.status if signing else "registered"

    @status.setter
    def status(self, value: str) -> None:
        self._required_signing().status = value

    @property
    def stage(self) -> str:
        """Where its acting signing is now, for people (workflows.states.stage)."""
        from workflows.states import stage

        return stage(self.status, self.mark_status)

    @property
    def mark_status(self) -> str:
        signing = self._signing()
        return signing.mark_status if signing else "no_mark"

    @mark_status.setter
    def mark_status(self, value: str) -> None:
        self._required_signing().mark_status = value

    @property
    def status_before_suspension(self) -> str | None:
        signing = self._signing()
        return signing.status_before_suspension if signing else None

    @status_before_suspension.setter
    def status_before_suspension(self, value: str | None) -> None:
        self._required_signing().status_before_suspension = value

    @property
    def status_changed_at(self) -> datetime:
        signing = self._signing()
        return signing.status_changed_at if signing else self.created_at

    @status_changed_at.setter
    def status_changed_at(self, value: datetime) -> None:
        self._required_signing().status_changed_at = value

    def _signing(self) -> Signing | None:
        from charter.models.signing import acting_signing

        return acting_signing(self)

    def _required_signing(self) -> Signing:
        signing = self._signing()
        if signing is None:
            raise ValueError(f"{self.slug} has registered with no charter: it has no lifecycle")
        return signing

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPES.get(self.organisation_type, self.organisation_type)

    @property
    def size_label(self) -> str:
        return ORGANISATION_SIZES.get(self.size, self.size)


# The register's order is (lower(name), id), compared as a row for keyset paging: one index for
# the whole register and one per exact-match filter, each ending in the sort key, so a page is
# an index range scan whatever the register's size or the page's depth.
# PostgreSQL keeps the name in these indexes too (INCLUDE), so a page's keys, filtered by a
# search of the name, come from the index alone (an index-only scan) and only the page's own
# rows are read from the table: a search walks index entries, not table rows. Whether the entry
# is on a charter's register (published, in a public state) is its signing's, read through the
# signings' own index (charter.models.signing).
_COVERING = {"postgresql_include": ["name"]}
Index(
    "ix_organisations_register_order",
    func.lower(Organisation.name),
    Organisation.id,
    **_COVERING,
)
Index(
    "ix_organisations_district_order",
    Organisation.district,
    func.lower(Organisation.name),
    Organisation.id,
    **_COVERING,
)
Index(
    "ix_organisations_sector_order",
    Organisation.sector,
    func.lower(Organisation.name),
    Organisation.id,
    **_COVERING,
)
Index(
    "ix_organisations_type_order",
    Organisation.organisation_type,
    func.lower(Organisation.name),
    Organisation.id,
    **_COVERING,
)
# Search for part of a name (lower(name) LIKE '%...%') on PostgreSQL: a trigram index. SQLite
# has no such index and scans, which is fine at the size SQLite is for.
Index(
    "ix_organisations_name_trigram",
    func.lower(Organisation.name).label("lower_name"),
    postgresql_using="gin",
    postgresql_ops={"lower_name": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")
event.listen(
    Organisation.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=CONTRIBUTOR)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="raise")

    @property
    def role_label(self) -> str:
        return MEMBER_ROLES.get(self.role, self.role)
