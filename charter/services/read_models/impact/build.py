"""Rebuild the impact summary rows from verified figures, set-based.

The return lines are read twice (flows, stocks) into per-organisation quarter rows, and every
period and breakdown is added up from those (`staging`), each step an INSERT ... SELECT ...
GROUP BY in the database: the period key of a figure is a CASE over the few distinct period end
dates (computed here in Python, so the SQL is the same on SQLite and PostgreSQL), and the pounds
are each figure times the proxy value in force at the end of its period (another CASE). Flows
add up; for stocks the latest figure of each organisation in the period counts (FTE added up,
percentages averaged). Per-contract figures by commissioner are grouped on their own.
The whole rebuild is one transaction: readers see the old rows or the new ones, never a mix.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    true,
    update,
)

from charter.extensions import db
from charter.models import (
    AuditEvent,
    Charter,
    ImpactBuild,
    ImpactCell,
    ImpactComparison,
    ImpactLifecycleCount,
    MonitoringReturn,
    Signing,
)
from charter.models.impact import (
    DIMENSION_ALL,
    DIMENSION_COMMISSIONER,
    DIMENSION_DISTRICT,
    DIMENSION_SECTOR,
    DIMENSION_TYPE,
)
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import FLOW_UNITS
from charter.models.signing import acting_in
from charter.services.domain import counted_figures
from charter.services.read_models.impact import (
    across,
    disclosure,
    like_for_like,
    scopes,
    staging,
)
from charter.services.read_models.impact.periods import ALL, quarter_of, year_of
from charter.services.read_models.impact.scopes import Scope

# Lifecycle triggers counted per quarter, and what the page calls them.
LIFECYCLE_EVENTS = {
    "sign": "Signed the charter",
    "award_mark": "Gained or renewed the Charter Mark",
    "expire_mark": "Charter Mark expired",
    "lapse": "Lapsed",
}
REBUILD_WORK_MEM = "128MB"

# Constants are written into the SQL (not bound) and left out of GROUP BY, which PostgreSQL
# refuses for a constant.
NO_BREAKDOWN = literal_column("''")
ALL_TIME_KEY = literal_column(f"'{ALL}'")

# Each breakdown and the cube column it sums by (None: the total).
_ORGANISATION_DIMENSIONS = {
    DIMENSION_ALL: None,
    DIMENSION_DISTRICT: "district",
    DIMENSION_SECTOR: "sector",
    DIMENSION_TYPE: "organisation_type",
}


@dataclass(frozen=True)
class BuildResult:
    cells: int
    lifecycle_rows: int
    seconds: float


def _period_ends() -> list[date]:
    return list(
        db.session.scalars(
            select(MonitoringReturn.period_end)
            .where(MonitoringReturn.status == RETURN_VERIFIED)
            .distinct()
        )
    )


def _grouped(*expressions: ColumnElement) -> list[ColumnElement]:
    return [e for e in expressions if e is not NO_BREAKDOWN and e is not ALL_TIME_KEY]


PUBLISHED_COLUMNS = ["published_organisations", "published_total", "published_monetised"]


def _insert(rows_select, dimension: str, scope: Scope, published: bool = False) -> None:
    columns = ["period_key", "measure_code", "dimension_value", "total", "organisations"]
    columns.append("monetised")
    if published:
        columns += PUBLISHED_COLUMNS
    source = rows_select.add_columns(
        literal(dimension).label("dimension"),
        counted_figures.literal_charter(scope.charter_id),
        counted_figures.literal_scope(scope.scope),
    )
    db.session.execute(
        insert(ImpactCell).from_select([*columns, "dimension", "charter_id", "scope"], source)
    )


def _commissioner_cells(period_ends: list[date], scope: Scope) -> None:
    """Per-contract figures by the commissioner that awarded the contract (flows only: a stock
    on a contract is not a figure a commissioner's total can add up), as counted for the
    charter (``counted_figures.contract_figures``). The part the open contracting file publishes
    contract by contract (``open_contracting.published_clause``) is anyone's to add up, so
    disclosure control counts it as known, as it does the register's figures in the other
    cells (an organisation with any figure of the cell published counts as publishing: the
    rest of its part is then protected as the others' is)."""
    f = scope.contract_figures.c
    pounds = f.value * scope.proxy(f.measure_code, f.period_end)
    keys = {
        "quarter": case({e: quarter_of(e).key for e in period_ends}, value=f.period_end),
        "year": case({e: year_of(e).key for e in period_ends}, value=f.period_end),
        ALL: ALL_TIME_KEY,
    }
    published = f.published == 1
    for key in keys.values():
        rows = (
            select(
                key.label("period_key"),
                f.measure_code,
                f.commissioner,
                func.sum(f.value),
                func.count(distinct(f.organisation_id)),
                func.sum(pounds),
                func.count(distinct(case((published, f.organisation_id)))),
                func.coalesce(func.sum(case((published, f.value), else_=0)), 0),
                func.sum(case((published, pounds), else_=None)),
            )
            .where(f.unit.in_(FLOW_UNITS))
            .group_by(*_grouped(key, f.measure_code, f.commissioner))
        )
        _insert(rows, DIMENSION_COMMISSIONER, scope, published=True)


def _mark_complementary(scope: Scope) -> None:
    """Flag the scope's cells withheld to protect a small one (see `disclosure`): one read of
    the cells' keys and counts, then an UPDATE per thousand flagged cells."""
    rows = db.session.execute(
        select(
            ImpactCell.id,
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
            ImpactCell.organisations,
            ImpactCell.total,
            ImpactCell.monetised,
            ImpactCell.published_organisations,
            ImpactCell.published_total,
            ImpactCell.published_monetised,
        ).where(counted_figures.of_charter(ImpactCell, scope.charter_id, scope.scope))
    ).all()
    units, threshold = scope.units, scope.threshold
    cells = {(r[1], r[2], r[3], r[4]): (r[5], r[6], r[7]) for r in rows}
    published = {
        (r[1], r[2], r[3], r[4]): (r[8], float(r[9] or 0), float(r[10] or 0)) for r in rows if r[8]
    }
    ids = {(r[1], r[2], r[3], r[4]): r[0] for r in rows}
    flows = {code for code, unit in units.items() if unit in FLOW_UNITS}
    averaged = frozenset(code for code, unit in units.items() if unit in staging.AVERAGED_UNITS)
    protection = disclosure.Protection(scope.share, scope.ratios, averaged, published)
    found = disclosure.relations(cells, flows, averaged)
    _, complementary = disclosure.withhold(cells, found, threshold, protection)
    flagged = sorted(ids[key] for key in complementary)
    for offset in range(0, len(flagged), 1000):
        chunk = flagged[offset : offset + 1000]
        db.session.execute(
            update(ImpactCell).where(ImpactCell.id.in_(chunk)).values(complementary=True)
        )


def _lifecycle_counts(scope: Scope) -> int:
    """How many of the charter's signings (or every charter's, or a region's charters') signed,
    gained a Mark, lost it or lapsed, per quarter: from the lifecycle events of its signings."""
    charter_id = scope.charter_id
    if charter_id is not None:
        of_scope = Signing.charter_id == charter_id
    elif scope.charter_ids is not None:
        of_scope = Signing.charter_id.in_(scope.charter_ids)
    else:
        of_scope = true()
    counts: Counter[tuple[str, str]] = Counter()
    rows = db.session.execute(
        select(AuditEvent.trigger, func.date(AuditEvent.created_at))
        .join(Signing, Signing.id == AuditEvent.signing_id)
        .where(
            AuditEvent.trigger.in_(LIFECYCLE_EVENTS),
            of_scope,
        )
    )
    for trigger, day in rows:
        day = date.fromisoformat(str(day)[:10])
        counts[(quarter_of(day).key, trigger)] += 1
    if counts:
        db.session.execute(
            insert(ImpactLifecycleCount),
            [
                {
                    "charter_id": charter_id,
                    "scope": scope.scope,
                    "period_key": k,
                    "event": e,
                    "count": n,
                }
                for (k, e), n in sorted(counts.items())
            ],
        )
    return len(counts)


class ImpactOutOfRange(ValueError):
    """A total the cells cannot hold: nothing is written, the figures published before stay."""


def _check_range() -> None:
    total, pounds = staging.largest_totals()
    if max(total, pounds) > staging.CELL_MAX:
        staging.drop()
        raise ImpactOutOfRange(
            f"The impact figures were not rebuilt: a total of {max(total, pounds):,} is more "
            f"than the {staging.CELL_MAX:,} the published figures can hold. Find the figure "
            "behind it among the flagged figures (/admin/flagged-figures) or the verified "
            "returns; the figures published before stay until it is corrected."
        )


def rebuild(charter_ids: list[int] | None = None) -> BuildResult:
    """Replace every charter's summary rows (or those of ``charter_ids``) from the verified
    figures counted for it (``counted``), each under its own scheme's proxy values and
    disclosure settings. Adds to the session; the caller commits (so the old rows stay visible
    until the new ones are complete)."""
    started = time.perf_counter()
    if db.session.get_bind().dialect.name == "postgresql":
        # The GROUP BYs sort millions of lines at 50,000 organisations: in memory, not on
        # disk, for this transaction only (the nightly job runs alone).
        db.session.execute(text(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'"))
    if charter_ids is None:
        charter_ids = list(db.session.scalars(select(Charter.id).order_by(Charter.id)))
    period_ends = _period_ends()
    cells = lifecycle_rows = 0
    for charter_id in charter_ids:
        with acting_in(charter_id):
            built = _rebuild_scope(scopes.Scope.of_charter(charter_id, period_ends), period_ends)
        cells += built.cells
        lifecycle_rows += built.lifecycle_rows
    for scope in scopes.combined_scopes():
        built = _rebuild_scope(scope, period_ends)
        cells += built.cells
        lifecycle_rows += built.lifecycle_rows
    across.protect()  # every scope built: withheld in one, not given away by another's
    return BuildResult(cells, lifecycle_rows, time.perf_counter() - started)


def _rebuild_scope(scope: Scope, period_ends: list[date]) -> BuildResult:
    started = time.perf_counter()
    charter_id = scope.charter_id
    for model in (ImpactCell, ImpactLifecycleCount, ImpactComparison):
        db.session.execute(
            delete(model).where(counted_figures.of_charter(model, charter_id, scope.scope))
        )
    if period_ends:
        staging.stage(period_ends, scope.proxy, scope.lines)
        _check_range()
        for dimension, column in _ORGANISATION_DIMENSIONS.items():
            _insert(staging.cell_rows(column), dimension, scope, published=True)
        like_for_like.stage(charter_id, scope.scope)
        staging.drop()
        _commissioner_cells(period_ends, scope)
        _mark_complementary(scope)
    # Counted rather than summed from rowcounts: drivers differ on INSERT ... SELECT rowcounts.
    cells = db.session.scalar(
        select(func.count())
        .select_from(ImpactCell)
        .where(counted_figures.of_charter(ImpactCell, charter_id, scope.scope))
    )
    lifecycle_rows = _lifecycle_counts(scope)
    seconds = time.perf_counter() - started
    db.session.add(
        ImpactBuild(
            charter_id=charter_id,
            scope=scope.scope,
            cells=cells,
            seconds=Decimal(f"{seconds:.3f}"),
        )
    )
    return BuildResult(cells, lifecycle_rows, seconds)
