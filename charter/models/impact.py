"""Summary rows behind the impact page and its open data, and the history of proxy values.

The impact page reads totals that were added up once, by `flask charter rebuild-impact` (run
nightly by the scheduler, after the demo data is loaded, and by hand), never by summing return
lines on every request: at 50,000 organisations that would be millions of rows per page view.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.user import User

# The breakdowns of the impact page; "all" is the headline figure (dimension_value "").
DIMENSION_ALL = "all"
DIMENSION_DISTRICT = "district"
DIMENSION_SECTOR = "sector"
DIMENSION_TYPE = "organisation_type"
DIMENSION_COMMISSIONER = "commissioner"
# Whose figures a summary row is (``scope``): a charter's own (charter_id set, scope ""), every
# charter's together ("all", charter_id NULL) or a region's charters' together ("region:<slug>",
# charter_id NULL; charter.services.domain.regions).
SCOPE_CHARTER = ""
SCOPE_ALL = "all"
REGION_SCOPE_PREFIX = "region:"
SCOPE_LENGTH = 60


def region_scope(region: str) -> str:
    return f"{REGION_SCOPE_PREFIX}{region}"


DIMENSIONS = (
    DIMENSION_ALL,
    DIMENSION_DISTRICT,
    DIMENSION_SECTOR,
    DIMENSION_TYPE,
    DIMENSION_COMMISSIONER,
)


class ImpactCell(db.Model):
    """One verified figure of the impact page: a measure's total for one period (a quarter
    "2027-Q1", a financial year "2026-27" or "all") and one breakdown cell, with how many
    organisations it was built from (for disclosure control) and its value in pounds."""

    __tablename__ = "impact_cells"
    __table_args__ = (
        UniqueConstraint(
            "charter_id",
            "period_key",
            "measure_code",
            "dimension",
            "dimension_value",
            name="uq_impact_cells_charter_cell",
        ),
        Index("ix_impact_cells_charter_period_dimension", "charter_id", "period_key", "dimension"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Each charter's /impact is its own: the figures counted for it (see impact.build). NULL:
    # every charter's figures together, each counted once (counted_figures.combined_lines),
    # under its reference or its charter's measure ("shropshire/LE2").
    charter_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id"))
    # With charter_id NULL: "all" (every charter's) or a region's ("region:west-midlands").
    scope: Mapped[str] = mapped_column(
        String(SCOPE_LENGTH), default=SCOPE_CHARTER, server_default=""
    )
    period_key: Mapped[str] = mapped_column(String(10))
    measure_code: Mapped[str] = mapped_column(String(100))
    dimension: Mapped[str] = mapped_column(String(20))
    dimension_value: Mapped[str] = mapped_column(String(200), default="")
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    organisations: Mapped[int]
    # Sum of each figure times the proxy value in force at the end of its period; NULL where
    # the measure had no proxy value then.
    monetised: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    # Withheld from the public although built from enough organisations: shown, it would let
    # a small figure be worked out by subtraction (set by the rebuild; see impact.disclosure).
    complementary: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The part from organisations that publish their own figures (anyone can add those up), so
    # disclosure control protects the others' part; 0 for commissioner cells (per-contract
    # figures are not published).
    published_organisations: Mapped[int] = mapped_column(default=0, server_default="0")
    published_total: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0, server_default="0")
    published_monetised: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))


class ImpactComparison(db.Model):
    """A measure's year-on-year change like for like: the figure of the organisations that
    reported in both a period and the same period a year before, in each (set by the rebuild;
    the public sees it only when it gives away nothing about the organisations that joined or
    left, see impact.like_for_like)."""

    __tablename__ = "impact_comparisons"
    __table_args__ = (UniqueConstraint("charter_id", "period_key", "measure_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id"))
    scope: Mapped[str] = mapped_column(
        String(SCOPE_LENGTH), default=SCOPE_CHARTER, server_default=""
    )
    period_key: Mapped[str] = mapped_column(String(10))
    measure_code: Mapped[str] = mapped_column(String(100))
    total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    previous_total: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    # Organisations that reported in both periods.
    organisations: Mapped[int]


class ImpactLifecycleCount(db.Model):
    """How many organisations signed, gained the Charter Mark, saw it expire or lapsed in one
    quarter: the signatory and holder counts over time."""

    __tablename__ = "impact_lifecycle_counts"
    __table_args__ = (UniqueConstraint("charter_id", "period_key", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id"))
    scope: Mapped[str] = mapped_column(
        String(SCOPE_LENGTH), default=SCOPE_CHARTER, server_default=""
    )
    period_key: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(String(30))
    count: Mapped[int]


class ImpactBuild(db.Model):
    """When the summary rows were last rebuilt, so the page can say how fresh its figures are."""

    __tablename__ = "impact_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int | None] = mapped_column(ForeignKey("charters.id"), index=True)
    scope: Mapped[str] = mapped_column(
        String(SCOPE_LENGTH), default=SCOPE_CHARTER, server_default=""
    )
    built_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    cells: Mapped[int]
    seconds: Mapped[Decimal] = mapped_column(Numeric(10, 3))


class ImpactVersion(db.Model):
    """How many times a charter's /impact (its page, CSV and JSON) has changed, and when last:
    moved by each rebuild of the summary rows and by a change to what the page shows beside
    them (proxy values, the scheme's measures, the charter). Its ETag and Last-Modified, and the
    per-process cache of finished answers, are keyed on it, so a repeat costs no summing and a
    revalidation no query while the process holds it (see read_models.impact.version)."""

    __tablename__ = "impact_versions"

    charter_id: Mapped[int] = mapped_column(
        ForeignKey("charters.id"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime]


class ProxyValue(db.Model):
    """A proxy value in pounds per unit of a measure, in force from a date until the next one.

    Monetised figures use the value in force on the last day of each figure's period, so a new
    value never changes a past year's total; an assessment snapshot records the values it used.
    A row with ``value`` NULL withdraws the proxy from its date."""

    __tablename__ = "proxy_values"
    __table_args__ = (UniqueConstraint("scheme_slug", "measure_code", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_slug: Mapped[str] = mapped_column(String(100))
    measure_code: Mapped[str] = mapped_column(String(30))
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    effective_from: Mapped[date]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(500))

    set_by: Mapped[User | None] = relationship(lazy="raise")
