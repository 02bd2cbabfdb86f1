"""Rebuild the impact summary rows from verified figures, set-based.

One pass per period granularity and breakdown, each a single GROUP BY in the database: the
period key of a figure is a CASE over the few distinct period end dates (computed here in
Python, so the SQL is the same on SQLite and PostgreSQL), and the pounds are each figure times
the proxy value in force at the end of its period (another CASE). Flows add up; for stocks the
latest figure of each organisation in the period counts (FTE added up, percentages averaged).
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
    and_,
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    true,
    update,
)

from charter.extensions import db
from charter.models import (
    AuditEvent,
    Commissioner,
    Contract,
    ContractFigure,
    ImpactBuild,
    ImpactCell,
    ImpactLifecycleCount,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    Scheme,
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
from charter.services.read_models.impact import disclosure, proxies
from charter.services.read_models.impact.periods import ALL, quarter_of, year_of

# Lifecycle triggers counted per quarter, and what the page calls them.
LIFECYCLE_EVENTS = {
    "sign": "Signed the charter",
    "award_mark": "Gained or renewed the Charter Mark",
    "expire_mark": "Charter Mark expired",
    "lapse": "Lapsed",
}
AVERAGED_UNITS = frozenset({"percent"})

# Constants are written into the SQL (not bound) and left out of GROUP BY, which PostgreSQL
# refuses for a constant.
NO_BREAKDOWN = literal_column("''")
ALL_TIME_KEY = literal_column(f"'{ALL}'")

_ORGANISATION_DIMENSIONS = {
    DIMENSION_ALL: NO_BREAKDOWN,
    DIMENSION_DISTRICT: Organisation.district,
    DIMENSION_SECTOR: Organisation.sector,
    DIMENSION_TYPE: Organisation.organisation_type,
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


def _key_expressions(period_ends: list[date]) -> dict[str, object]:
    quarters = {end: quarter_of(end).key for end in period_ends}
    years = {end: year_of(end).key for end in period_ends}
    return {
        "quarter": case(quarters, value=MonitoringReturn.period_end),
        "year": case(years, value=MonitoringReturn.period_end),
        ALL: ALL_TIME_KEY,
    }


def _grouped(*expressions: ColumnElement) -> list[ColumnElement]:
    return [e for e in expressions if e is not NO_BREAKDOWN and e is not ALL_TIME_KEY]


def _proxy_expression(period_ends: list[date]):
    """£ per unit for each figure's measure and period end, or NULL where none was in force."""
    whens = [
        (and_(Measure.code == code, MonitoringReturn.period_end == end), value)
        for (code, end), value in proxies.in_force_at(period_ends).items()
        if value is not None
    ]
    return case(*whens, else_=null()) if whens else null()


def _verified_lines():
    return (
        select()
        .select_from(ReturnLine)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .where(MonitoringReturn.status == RETURN_VERIFIED, ReturnLine.actual_value.is_not(None))
    )


def _insert(rows_select, dimension: str) -> None:
    columns = ["period_key", "measure_code", "dimension_value", "total", "organisations"]
    columns.append("monetised")
    source = rows_select.add_columns(literal(dimension).label("dimension"))
    result = db.session.execute(insert(ImpactCell).from_select([*columns, "dimension"], source))
    return result.rowcount or 0


def _flow_cells(key, proxy, dimension: str, dimension_value) -> None:
    rows = (
        _verified_lines()
        .add_columns(
            key.label("period_key"),
            Measure.code,
            dimension_value.label("dimension_value"),
            func.sum(ReturnLine.actual_value),
            func.count(distinct(MonitoringReturn.organisation_id)),
            func.sum(ReturnLine.actual_value * proxy),
        )
        .where(Measure.unit.in_(FLOW_UNITS))
        .group_by(*_grouped(key, Measure.code, dimension_value))
    )
    _insert(rows, dimension)


def _stock_cells(key, proxy, dimension: str, dimension_value) -> None:
    """Each organisation's latest figure in the period, then added up (FTE) or averaged (%)."""
    latest = (
        _verified_lines()
        .add_columns(
            key.label("period_key"),
            Measure.code.label("code"),
            Measure.unit.label("unit"),
            dimension_value.label("dimension_value"),
            ReturnLine.actual_value.label("value"),
            (ReturnLine.actual_value * proxy).label("pounds"),
            func.row_number()
            .over(
                partition_by=_grouped(MonitoringReturn.organisation_id, Measure.code, key),
                order_by=MonitoringReturn.period_end.desc(),
            )
            .label("recency"),
        )
        .where(Measure.unit.not_in(FLOW_UNITS))
        .subquery()
    )
    total = case(
        (latest.c.unit.in_(AVERAGED_UNITS), func.round(func.avg(latest.c.value), 2)),
        else_=func.sum(latest.c.value),
    )
    rows = (
        select(
            latest.c.period_key,
            latest.c.code,
            latest.c.dimension_value,
            total,
            func.count(),
            func.sum(latest.c.pounds),
        )
        .where(latest.c.recency == 1)
        .group_by(
            *_grouped(latest.c.period_key, latest.c.code, latest.c.dimension_value, latest.c.unit)
        )
    )
    _insert(rows, dimension)


def _commissioner_cells(key, proxy) -> None:
    """Per-contract figures by the commissioner that awarded the contract (flows only: a stock
    on a contract is not a figure a commissioner's total can add up)."""
    rows = (
        select(
            key.label("period_key"),
            Measure.code,
            Commissioner.name,
            func.sum(ContractFigure.value),
            func.count(distinct(MonitoringReturn.organisation_id)),
            func.sum(ContractFigure.value * proxy),
        )
        .select_from(ContractFigure)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .where(
            MonitoringReturn.status == RETURN_VERIFIED,
            ContractFigure.value.is_not(None),
            Measure.unit.in_(FLOW_UNITS),
        )
        .group_by(*_grouped(key, Measure.code, Commissioner.name))
    )
    _insert(rows, DIMENSION_COMMISSIONER)


def _mark_complementary(threshold: int) -> None:
    """Flag the cells withheld to protect a small one (see `disclosure`): one read of the
    cells' keys and counts, then an UPDATE per thousand flagged cells."""
    rows = db.session.execute(
        select(
            ImpactCell.id,
            ImpactCell.period_key,
            ImpactCell.measure_code,
            ImpactCell.dimension,
            ImpactCell.dimension_value,
            ImpactCell.organisations,
            ImpactCell.total,
        )
    ).all()
    cells = {(r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in rows}
    ids = {(r[1], r[2], r[3], r[4]): r[0] for r in rows}
    flows = set(db.session.scalars(select(Measure.code).where(Measure.unit.in_(FLOW_UNITS))))
    _, complementary = disclosure.withhold(cells, disclosure.relations(cells, flows), threshold)
    flagged = sorted(ids[key] for key in complementary)
    for offset in range(0, len(flagged), 1000):
        chunk = flagged[offset : offset + 1000]
        db.session.execute(
            update(ImpactCell).where(ImpactCell.id.in_(chunk)).values(complementary=True)
        )


def _lifecycle_counts() -> int:
    counts: Counter[tuple[str, str]] = Counter()
    rows = db.session.execute(
        select(AuditEvent.trigger, func.date(AuditEvent.created_at)).where(
            AuditEvent.trigger.in_(LIFECYCLE_EVENTS)
        )
    )
    for trigger, day in rows:
        day = date.fromisoformat(str(day)[:10])
        counts[(quarter_of(day).key, trigger)] += 1
    if counts:
        db.session.execute(
            insert(ImpactLifecycleCount),
            [{"period_key": k, "event": e, "count": n} for (k, e), n in sorted(counts.items())],
        )
    return len(counts)


def rebuild() -> BuildResult:
    """Replace every summary row from the verified figures. Adds to the session; the caller
    commits (so the old rows stay visible until the new ones are complete)."""
    started = time.perf_counter()
    db.session.execute(delete(ImpactCell))
    db.session.execute(delete(ImpactLifecycleCount))
    period_ends = _period_ends()
    if period_ends:
        proxy = _proxy_expression(period_ends)
        for key in _key_expressions(period_ends).values():
            for dimension, value in _ORGANISATION_DIMENSIONS.items():
                _flow_cells(key, proxy, dimension, value)
                _stock_cells(key, proxy, dimension, value)
            _commissioner_cells(key, proxy)
        _mark_complementary(disclosure_threshold())
    # Counted rather than summed from rowcounts: drivers differ on INSERT ... SELECT rowcounts.
    cells = db.session.scalar(select(func.count()).select_from(ImpactCell))
    lifecycle_rows = _lifecycle_counts()
    seconds = time.perf_counter() - started
    db.session.add(ImpactBuild(cells=cells, seconds=Decimal(f"{seconds:.3f}")))
    return BuildResult(cells, lifecycle_rows, seconds)


def disclosure_threshold() -> int:
    scheme = db.session.scalar(select(Scheme).where(Scheme.is_current == true()).limit(1))
    return scheme.disclosure_min_organisations if scheme is not None else 3
