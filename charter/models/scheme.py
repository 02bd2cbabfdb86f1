"""The scheme is data: a Scheme version of one charter's scheme (loaded from a file in
schemes/; organisations keep the version they signed under) with its Principles and Measures
(unit, National TOMs reference, how each is reported, which direction is better), award rule,
review periods and the settings for contracts, plausibility, disclosure control and the public
register; and the features other councils' charters need (issue 21): an optional award, themes
and priorities (scheme_theme.py), pledges from a toolkit, minimum standards, weightings at
award, service credits and a maturity self-assessment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow

if TYPE_CHECKING:
    from charter.models.charter import Charter
    from charter.models.scheme_theme import Priority, Theme

# How a measure is reported in a monitoring return: one figure per contract active in the period
# (local spend, local jobs, apprenticeship weeks), or one figure for the whole organisation
# (share paid the Real Living Wage, prompt payment).
REPORTED_PER_CONTRACT = "per_contract"
REPORTED_FOR_ORGANISATION = "organisation"
REPORTING = {
    REPORTED_PER_CONTRACT: "Per contract",
    REPORTED_FOR_ORGANISATION: "For the whole organisation",
}
# Which way a measure's figures should move; the scheme file says per measure ("better").
BETTER_HIGHER = "higher"
BETTER_LOWER = "lower"
BETTER = (BETTER_HIGHER, BETTER_LOWER)

# Flows add up over a period (money, hours, weeks, counts); stocks are a level at a date.
FLOW_UNITS = frozenset({"GBP", "hours", "weeks", "count"})
STOCK_UNITS = frozenset({"FTE", "percent"})

# The kinds of value a measure takes: one figure in a unit (a count, an amount in pounds, a
# percentage, FTE, hours, weeks); a PAIR of related figures, each in one of those units ("number
# of events hosted and total attendance", Measure.parts names them); or an ACHIEVEMENT, yes or
# no with its evidence and the date it was achieved ("completion of assessment for Disability
# Confident"), which has no figure to add up or monetise.
PAIR = "pair"
ACHIEVEMENT = "achievement"
UNITS = {
    "GBP": "£",
    "FTE": "FTE",
    "weeks": "weeks",
    "hours": "hours",
    "percent": "%",
    "count": "number",
    PAIR: "two figures",
    ACHIEVEMENT: "yes or no",
}
FIGURE_UNITS = FLOW_UNITS | STOCK_UNITS
# How often a pledge's indicator may be reported (Worcestershire's toolkit: "e.g. quarterly or
# annually").
FREQUENCIES = ("monthly", "quarterly", "half-yearly", "annually")


class Scheme(db.Model):
    """One version of a charter scheme, loaded from a scheme file. Versions are never edited:
    loading a changed file adds a version, and commitments keep the version they were made under."""

    __tablename__ = "schemes"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The charter whose scheme this is a version of; every version of a slug has the same one.
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(default=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    districts: Mapped[list[str]] = mapped_column(JSON)
    sectors: Mapped[list[str]] = mapped_column(JSON)
    monitoring_period_months: Mapped[int]
    return_due_days: Mapped[int]
    reminder_days_before_due: Mapped[int]
    grace_period_days: Mapped[int]
    min_verified_returns: Mapped[int]
    award_all_core_met: Mapped[bool]
    award_min_share_met: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    validity_months: Mapped[int]
    renewal_window_days: Mapped[int]
    reapply_wait_days: Mapped[int]
    appeal_window_days: Mapped[int]
    moderation_required: Mapped[bool] = mapped_column(default=False)
    # Contract monitoring: applying needs a contract its commissioner has confirmed, and this
    # share (0 to 100) of the per-contract figures in the assessed window endorsed by them.
    require_confirmed_contract: Mapped[bool] = mapped_column(default=True)
    require_endorsed_figures: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=0)
    # Disclosure control on public impact figures: a cell built from fewer organisations than
    # this is shown as "fewer than N", so no single organisation's figure can be worked out.
    disclosure_min_organisations: Mapped[int] = mapped_column(default=3)
    # ... and every withheld figure must stay uncertain by at least this percentage of its
    # upper end, whatever else is published ([disclosure] in the scheme file; see
    # charter.services.read_models.impact.protection).
    disclosure_protection_percent: Mapped[int] = mapped_column(default=20, server_default="20")
    # Duties after signing and after the award ([duties] in the scheme file).
    warning_days_before_sanction: Mapped[int] = mapped_column(default=28, server_default="28")
    confirmation_window_days: Mapped[int] = mapped_column(default=60, server_default="60")
    audit_share_percent: Mapped[int] = mapped_column(default=10, server_default="10")
    # Who runs the charter and issues its Charter Marks (the charter's running body, from the
    # scheme file's [charter] table, or [issuer] in older files), named on every certificate: as
    # it stood when this version was loaded, so a certificate keeps printing what it printed.
    issuer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issuer_members: Mapped[str | None] = mapped_column(Text)
    # A renewal awarded before the current Mark expires runs from that expiry date, so the
    # holder loses no days ([award] renewal_runs_from_expiry, default true).
    renewal_runs_from_expiry: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The window a contract's dates must fall in and the ceiling on its value ([contracts] in the
    # scheme file; charter.services.domain.contract_rules).
    contract_earliest_start: Mapped[date] = mapped_column(
        default=date(2000, 1, 1), server_default="2000-01-01"
    )
    contract_end_years_ahead: Mapped[int] = mapped_column(default=15, server_default="15")
    contract_max_value: Mapped[Decimal] = mapped_column(
        Numeric(14, 2), default=Decimal(10_000_000_000), server_default="10000000000"
    )
    # Plausibility of figures ([plausibility] in the scheme file): a per-contract money figure
    # above this percentage of the contract's value for the period (pro rata), FTE above the
    # organisation's size band (when on), and a figure above this multiple of the organisation's
    # median for the measure in earlier periods are flagged for an assessor to check.
    plausibility_contract_share: Mapped[Decimal] = mapped_column(
        Numeric(7, 2), default=100, server_default="100"
    )
    plausibility_size_band: Mapped[bool] = mapped_column(default=True, server_default=true())
    plausibility_median_multiple: Mapped[Decimal] = mapped_column(
        Numeric(7, 2), default=10, server_default="10"
    )
    # A new signatory's register entry appears "after_check" (an administrator's) or "at_once"
    # ([register] publish_new_signatories, default after_check: the register carries the
    # council's name).
    publish_new_signatories: Mapped[str] = mapped_column(
        String(20), default="after_check", server_default="after_check"
    )

    # Whether the charter awards a mark, and its name ("Charter Mark"): a scheme file without an
    # [award] table has none, and the award rule's columns above keep their defaults unused.
    has_award: Mapped[bool] = mapped_column(default=True, server_default=true())
    award_name: Mapped[str | None] = mapped_column(String(100))
    # What every supplier affirms before any social value requirement (a list of statements).
    minimum_standards: Mapped[list[str] | None] = mapped_column(JSON)
    # The social value weighting at award by contract value: a list of bands, each
    # {"over" or "from": £, "up_to": £ or absent, "percent": n} (charter.services.domain.
    # scheme_features.weighting_for).
    weighting_bands: Mapped[list[dict] | None] = mapped_column(JSON)
    # Whether a contract manager may record a service credit when a commitment is missed, on
    # contracts above service_credits_over (if set), in the running body's words.
    service_credits: Mapped[bool] = mapped_column(default=False, server_default=false())
    service_credits_over: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    service_credits_terms: Mapped[str | None] = mapped_column(Text)
    # An optional self-assessment: {"name", "questions": [{"code", "theme", "text", "answers":
    # [{"text", "score"}]}], "levels": [{"name", "from_score"}]}.
    self_assessment: Mapped[dict | None] = mapped_column(JSON)

    charter: Mapped[Charter] = relationship(back_populates="schemes", lazy="raise")
    themes: Mapped[list[Theme]] = relationship(
        back_populates="scheme",
        order_by="Theme.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="scheme",
        order_by="Priority.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    principles: Mapped[list[Principle]] = relationship(
        back_populates="scheme",
        order_by="Principle.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="scheme",
        order_by="Measure.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )

    @property
    def issuer(self) -> str:
        """Who issues the scheme's certificates; a scheme loaded before schemes named their
        issuer says that its administrators do."""
        return self.issuer_name or f"The administrators of {self.name}"

    def __repr__(self) -> str:
        return f"<Scheme {self.slug} v{self.version}>"


class Principle(db.Model):
    __tablename__ = "principles"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    scheme: Mapped[Scheme] = relationship(back_populates="principles", lazy="raise")


class Measure(db.Model):
    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    toms_ref: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(20))
    is_core: Mapped[bool]
    evidence_guidance: Mapped[str] = mapped_column(Text)
    # £ per unit, the scheme's own choice; absent unless the scheme file sets it.
    proxy_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    position: Mapped[int]
    reporting: Mapped[str] = mapped_column(String(20), default=REPORTED_FOR_ORGANISATION)
    # Which way is better ("higher" or "lower"): a plan target going the other way from its
    # baseline is refused, or accepted with a reason where the scheme allows it.
    better: Mapped[str] = mapped_column(String(10), default=BETTER_HIGHER, server_default="higher")
    allow_backwards_with_reason: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Its reference in a shared framework: a National TOMs code ("NT18", the same as toms_ref,
    # which pages show) or a government standard reporting metric ("PPN002:..."). Measures of
    # different charters with the same reference count the same figure.
    reference: Mapped[str | None] = mapped_column(String(60), index=True)
    # A pair's two figures: [{"label": ..., "unit": ...}, {...}]; None for other kinds.
    parts: Mapped[list[dict] | None] = mapped_column(JSON)
    # A toolkit pledge: its text with [#] where the supplier puts its number, what to record,
    # and how often it may be reported (the title is its indicator).
    pledge: Mapped[str | None] = mapped_column(Text)
    measurement: Mapped[str | None] = mapped_column(Text)
    frequencies: Mapped[list[str] | None] = mapped_column(JSON)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"), index=True)

    scheme: Mapped[Scheme] = relationship(back_populates="measures", lazy="raise")
    theme: Mapped[Theme | None] = relationship(lazy="raise")

    @property
    def is_per_contract(self) -> bool:
        return self.reporting == REPORTED_PER_CONTRACT

    @property
    def is_flow(self) -> bool:
        return self.unit in FLOW_UNITS

    @property
    def unit_label(self) -> str:
        return UNITS.get(self.unit, self.unit)
