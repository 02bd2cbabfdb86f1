"""Reading the impact summary rows for the page, the open data and the staff reports.

Every function here is one or two queries whatever the number of organisations: the adding up
was done by `build.rebuild`. Public readers get disclosure control: a figure built from fewer
organisations than the scheme's threshold is marked suppressed and its value withheld, and so
is a figure the rebuild flagged as complementary (shown, it would let a small one be worked
out by subtraction; see `disclosure`). Staff readers (threshold None) see every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import ImpactBuild, ImpactCell, ImpactLifecycleCount, Measure, Scheme
from charter.models.impact import DIMENSION_ALL, DIMENSIONS
from charter.models.scheme import PAIR
from charter.services.domain import counted_figures, figure_parts
from charter.services.read_models.impact import like_for_like
from charter.services.read_models.impact.build import LIFECYCLE_EVENTS
from charter.services.read_models.impact.like_for_like import LikeForLike
from charter.services.read_models.impact.periods import (
    ALL,
    ImpactPeriod,
    parse_period,
    quarter_of,
)

DIMENSION_LABELS = {
    "district": "By district",
    "sector": "By sector",
    "organisation_type": "By type of organisation",
    "commissioner": "By commissioner (figures on listed contracts)",
}
# What the public sees for a complementary cell ("fewer than 3" would be untrue of it).
COMPLEMENTARY_TEXT = "withheld to protect a small figure"
SMALL, COMPLEMENTARY = "fewer_than_threshold", "complementary"


@dataclass(frozen=True)
class MeasureFacts:
    """What the public page shows of a measure, as plain values: held by a process for a
    version of the figures, it must not be a row of a request's session."""

    code: str
    title: str
    unit: str
    toms_ref: str | None
    is_core: bool

    @classmethod
    def of(cls, measure: Measure) -> MeasureFacts:
        return cls(measure.code, measure.title, measure.unit, measure.toms_ref, measure.is_core)


@dataclass(frozen=True)
class HeldCell:
    """A summary row as plain values (the columns ``_figure`` reads), held per version."""

    period_key: str
    measure_code: str
    dimension: str
    dimension_value: str
    total: Decimal
    organisations: int
    monetised: Decimal | None
    complementary: bool


# Every summary row by (period key, measure code), each list in the database's order of
# dimension and value (its collation, as the queries below sort).
HeldCells = dict[tuple[str, str], list[HeldCell]]


def held_cells() -> HeldCells:
    """Every summary row, for a process to hold per version of the figures (a county's charter
    has a few thousand): then a page for another period or measure reads none. One query."""
    rows = db.session.execute(
        select(
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
            ImpactCell.total,
            ImpactCell.organisations,
            ImpactCell.monetised,
            ImpactCell.complementary,
        )
        .where(counted_figures.of_shown_charter(ImpactCell))
        .order_by(
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
        )
    )
    held: HeldCells = {}
    for row in rows:
        held.setdefault((row[0], row[1]), []).append(HeldCell(*row))
    return held


@dataclass(frozen=True)
class Figure:
    measure: Measure | MeasureFacts
    period_key: str
    dimension: str
    dimension_value: str
    total: Decimal | None  # None when suppressed
    organisations: int
    monetised: Decimal | None
    suppressed: bool
    previous_total: Decimal | None = None
    # Withheld although built from enough organisations, to protect a small figure.
    complementary: bool = False
    # The same period a year before: withheld (not missing), and from how many organisations.
    previous_withheld: bool = False
    previous_organisations: int | None = None
    # The change among the organisations that reported in both (see `like_for_like`).
    like_for_like: LikeForLike | None = None

    @property
    def suppression(self) -> str | None:
        """Why the figure is withheld, for the open data: SMALL, COMPLEMENTARY or None."""
        if not self.suppressed:
            return None
        return COMPLEMENTARY if self.complementary else SMALL

    @property
    def is_average(self) -> bool:
        return self.measure.unit == "percent"

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


@dataclass(frozen=True)
class ImpactView:
    period: ImpactPeriod
    headline: list[Figure]
    threshold: int


def measures_of(scheme: Scheme) -> list[Measure]:
    return list(
        db.session.scalars(
            select(Measure).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
        )
    )


def published_measures(scheme: Scheme) -> list[MeasureFacts]:
    """What the public figures show of each measure, in the scheme's order: a pair as its two
    parts, each with its own label and unit (the second under its own code: figure_parts),
    and an achievement as how many organisations achieved it."""
    out = []
    for measure in measures_of(scheme):
        out.extend(published_parts(MeasureFacts.of(measure), measure.parts))
    return out


def published_parts(facts: MeasureFacts, parts: list[dict] | None) -> list[MeasureFacts]:
    """A measure as its published figures show it: a pair (``parts``) as its two parts, each
    titled with its label and in its own unit, the second under its own code (figure_parts);
    any other measure as itself. A charter's measures and several charters' combined keys."""
    if facts.unit != PAIR or not parts or len(parts) != 2:
        return [facts]
    first, second = parts
    title = facts.title.rstrip(".")  # "… total attendance.": its parts follow
    return [
        replace(facts, title=f"{title}: {first['label']}", unit=first["unit"]),
        replace(
            facts,
            code=figure_parts.second_code(facts.code),
            title=f"{title}: {second['label']}",
            unit=second["unit"],
        ),
    ]


def _withheld(cell: ImpactCell, threshold: int | None) -> tuple[bool, bool]:
    """(small, complementary) for the public; neither for staff."""
    if threshold is None:
        return False, False
    small = cell.organisations < threshold
    return small, not small and cell.complementary


def _figure(cell: ImpactCell, measure: Measure, threshold: int | None) -> Figure:
    small, complementary = _withheld(cell, threshold)
    suppressed = small or complementary
    return Figure(
        measure=measure,
        period_key=cell.period_key,
        dimension=cell.dimension,
        dimension_value=cell.dimension_value,
        total=None if suppressed else cell.total,
        organisations=cell.organisations,
        monetised=None if suppressed else cell.monetised,
        suppressed=suppressed,
        complementary=complementary,
    )


def _compared(figure: Figure, previous: ImpactCell | None, row, threshold: int | None) -> Figure:
    """``figure`` with the same period a year before: its total unless withheld, and the
    like-for-like pair where both totals are shown and it gives nothing away."""
    if previous is None:
        return figure
    if any(_withheld(previous, threshold)):
        return replace(figure, previous_withheld=True)
    compared = replace(
        figure, previous_total=previous.total, previous_organisations=previous.organisations
    )
    if figure.suppressed:
        return compared
    pair = like_for_like.shown(row, figure.organisations, previous.organisations, threshold)
    return replace(compared, like_for_like=pair)


def headline(period: ImpactPeriod, measures: list[Measure], threshold: int | None) -> list[Figure]:
    """Each measure's total for the period, compared with the same period a year before. Two
    queries. ``threshold`` None means staff figures: nothing suppressed."""
    keys = [period.key] + ([period.previous.key] if period.previous else [])
    cells = db.session.scalars(
        select(ImpactCell).where(
            ImpactCell.period_key.in_(keys),
            ImpactCell.dimension == DIMENSION_ALL,
            counted_figures.of_shown_charter(ImpactCell),
        )
    )
    by_key = {(c.period_key, c.measure_code): c for c in cells}
    pairs = like_for_like.of_period(period.key) if period.previous else {}
    figures = []
    for measure in measures:
        cell = by_key.get((period.key, measure.code))
        if cell is None:
            continue
        previous = by_key.get((period.previous.key, measure.code)) if period.previous else None
        figure = _figure(cell, measure, threshold)
        figures.append(_compared(figure, previous, pairs.get(measure.code), threshold))
    return figures


def breakdowns(
    period: ImpactPeriod, measure: Measure | MeasureFacts, threshold: int | None, held=None
) -> dict[str, list[Figure]]:
    """The measure's figure in each district, sector, type and commissioner. One query, or
    none from ``held`` (``held_cells``)."""
    if held is not None:
        found = held.get((period.key, measure.code), [])
        cells = [cell for cell in found if cell.dimension != DIMENSION_ALL]
    else:
        cells = db.session.scalars(
            select(ImpactCell)
            .where(
                ImpactCell.period_key == period.key,
                ImpactCell.measure_code == measure.code,
                counted_figures.of_shown_charter(ImpactCell),
                ImpactCell.dimension != DIMENSION_ALL,
            )
            .order_by(ImpactCell.dimension, ImpactCell.dimension_value)
        )
    out: dict[str, list[Figure]] = {d: [] for d in DIMENSIONS if d != DIMENSION_ALL}
    for cell in cells:
        out[cell.dimension].append(_figure(cell, measure, threshold))
    return out


def quarterly_series(
    measure: Measure | MeasureFacts,
    last: ImpactPeriod,
    quarters: int,
    threshold: int | None,
    held=None,
) -> list[tuple[ImpactPeriod, Figure | None]]:
    """The measure's headline figure for each of the ``quarters`` quarters up to the end of
    ``last`` (or the latest quarter with figures, for all time). One query, or none from
    ``held`` (``held_cells``)."""
    end = last.end if last.end is not None else _latest_quarter_end(held)
    if end is None:
        return []
    periods = []
    quarter = quarter_of(end)
    for _ in range(quarters):
        periods.append(quarter)
        quarter = quarter_of(quarter.start - timedelta(days=1))
    periods.reverse()
    if held is not None:
        cells = {
            c.period_key: c
            for p in periods
            for c in held.get((p.key, measure.code), [])
            if c.dimension == DIMENSION_ALL
        }
    else:
        cells = {
            c.period_key: c
            for c in db.session.scalars(
                select(ImpactCell).where(
                    ImpactCell.period_key.in_([p.key for p in periods]),
                    ImpactCell.measure_code == measure.code,
                    counted_figures.of_shown_charter(ImpactCell),
                    ImpactCell.dimension == DIMENSION_ALL,
                )
            )
        }
    return [
        (p, _figure(cells[p.key], measure, threshold) if p.key in cells else None) for p in periods
    ]


def _latest_quarter_end(held=None):
    if held is not None:
        keys = {key for key, _code in held if "-Q" in key}
    else:
        keys = db.session.scalars(
            select(ImpactCell.period_key)
            .where(ImpactCell.period_key.like("%-Q%"), counted_figures.of_shown_charter(ImpactCell))
            .distinct()
        )
    periods = [parse_period(k) for k in keys]
    periods = [p for p in periods if p is not None]
    return max((p.end for p in periods), default=None)


def lifecycle_series(last: ImpactPeriod, quarters: int) -> list[tuple[ImpactPeriod, dict]]:
    """Organisations that signed, gained the Mark, saw it expire or lapsed, per quarter."""
    rows = list(
        db.session.scalars(
            select(ImpactLifecycleCount).where(
                counted_figures.of_shown_charter(ImpactLifecycleCount)
            )
        )
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row.period_key, {})[row.event] = row.count
    if not counts:
        return []
    keys = sorted((parse_period(k) for k in counts), key=lambda p: p.start)
    if last.end is not None:
        keys = [p for p in keys if p.end <= last.end]
    keys = keys[-quarters:]
    return [(p, {e: counts[p.key].get(e, 0) for e in LIFECYCLE_EVENTS}) for p in keys]


def available_periods() -> list[ImpactPeriod]:
    """The periods that have figures, newest first: years, then quarters, then all time."""
    keys = db.session.scalars(
        select(ImpactCell.period_key).where(counted_figures.of_shown_charter(ImpactCell)).distinct()
    )
    periods = [p for p in (parse_period(k) for k in keys) if p is not None and p.key != ALL]
    years = sorted((p for p in periods if p.kind == "year"), key=lambda p: p.start, reverse=True)
    quarters = sorted(
        (p for p in periods if p.kind == "quarter"), key=lambda p: p.start, reverse=True
    )
    return [*years, *quarters, parse_period(ALL)]


def last_build() -> datetime | None:
    return db.session.scalar(
        select(ImpactBuild.built_at)
        .where(counted_figures.of_shown_charter(ImpactBuild))
        .order_by(ImpactBuild.id.desc())
        .limit(1)
    )


def all_cells(threshold: int | None, measures: dict[str, Measure]) -> list[Figure]:
    """Every summary row, for the open data and staff downloads, ordered for reading."""
    cells = db.session.scalars(
        select(ImpactCell)
        .where(counted_figures.of_shown_charter(ImpactCell))
        .order_by(
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
        )
    )
    return [
        _figure(cell, measures[cell.measure_code], threshold)
        for cell in cells
        if cell.measure_code in measures
    ]
