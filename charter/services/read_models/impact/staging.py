"""Adding up verified figures in stages, so the return lines are read twice, not once per cell.

At 50,000 organisations there are millions of return lines; grouping them afresh for every
period granularity and breakdown (27 GROUP BYs) took ten minutes. Instead, in two temporary
tables, set-based (INSERT ... SELECT ... GROUP BY) on SQLite and PostgreSQL alike:

1. ``impact_org_quarters``: one row per organisation, measure and quarter — flows added up,
   stocks the organisation's latest figure in the quarter — with the organisation's district,
   sector and type. Two passes over the return lines (flows, stocks).
2. ``impact_cube``: per period (quarter, financial year, all time), measure and combination of
   district, sector and type, the sum, the organisations and the pounds. Years and all time come
   from the quarter rows: flows added up per organisation, stocks its latest quarter's figure.
   Each organisation is in exactly one combination, so organisation counts add up.

Every breakdown cell is then a sum over the cube's few thousand rows (`cell_rows`). The cube
also splits by whether the organisation publishes its own figures (on the register and the
API, by its consent): anyone can add those up, so disclosure control needs each cell's part from
publishing organisations (`published_*` in the cells; see `disclosure`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    case,
    func,
    insert,
    literal_column,
    select,
    text,
)

from charter.extensions import db
from charter.models.scheme import FLOW_UNITS
from charter.services.read_models.impact.periods import ALL, quarter_of, year_of

AVERAGED_UNITS = frozenset({"percent"})
ALL_TIME_KEY = literal_column(f"'{ALL}'")
_ATTRIBUTES = ("district", "sector", "organisation_type", "publishes")
_metadata = MetaData()


def _attributes() -> list[Column]:
    return [Column(name, String(100)) for name in _ATTRIBUTES[:-1]] + [Column("publishes", Integer)]


ORG_QUARTERS = Table(
    "impact_org_quarters",
    _metadata,
    Column("organisation_id", Integer),
    Column("measure_code", String(100)),
    Column("unit", String(20)),
    Column("period_key", String(10)),
    Column("year_key", String(10)),
    Column("period_end", Date),
    Column("value", Numeric),
    Column("pounds", Numeric),
    *_attributes(),
    prefixes=["TEMPORARY"],
)
CUBE = Table(
    "impact_cube",
    _metadata,
    Column("period_key", String(10)),
    Column("measure_code", String(100)),
    Column("unit", String(20)),
    *_attributes(),
    Column("total", Numeric),
    Column("organisations", Integer),
    Column("pounds", Numeric),
    prefixes=["TEMPORARY"],
)
_COLUMNS = ["measure_code", "unit", *_ATTRIBUTES]


def drop() -> None:
    for table in (CUBE, ORG_QUARTERS):
        db.session.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def _organisation_quarters(period_ends: list[date], proxy, lines) -> None:
    """``lines``: the figures counted (``counted_figures.lines`` of a charter, or
    ``combined_figures.lines``); ``proxy(code, period_end)``: the pounds per unit of a figure
    (see build)."""
    c = lines.c
    quarter = case({e: quarter_of(e).key for e in period_ends}, value=c.period_end)
    year = case({e: year_of(e).key for e in period_ends}, value=c.period_end)
    pounds = c.value * proxy(c.measure_code, c.period_end)
    attributes = [c.district, c.sector, c.organisation_type, c.publishes]
    columns = ["organisation_id", *_COLUMNS[:2], "period_key", "year_key", "period_end"]
    columns += ["value", "pounds", *_ATTRIBUTES]
    flows = (
        select(
            c.organisation_id,
            c.measure_code,
            c.unit,
            quarter,
            func.max(year),
            func.max(c.period_end),
            func.sum(c.value),
            func.sum(pounds),
            *[func.max(a) for a in attributes],
        )
        .where(c.unit.in_(FLOW_UNITS))
        .group_by(c.organisation_id, c.signing_id, c.measure_code, c.unit, quarter)
    )
    db.session.execute(insert(ORG_QUARTERS).from_select(columns, flows))
    recency = func.row_number().over(
        partition_by=[c.organisation_id, c.measure_code, quarter],
        order_by=c.period_end.desc(),
    )
    ranked = (
        select(
            c.organisation_id.label("organisation_id"),
            c.measure_code.label("measure_code"),
            c.unit.label("unit"),
            quarter.label("period_key"),
            year.label("year_key"),
            c.period_end.label("period_end"),
            c.value.label("value"),
            pounds.label("pounds"),
            *attributes,
            recency.label("recency"),
        )
        .where(c.unit.not_in(FLOW_UNITS))
        .subquery()
    )
    stocks = select(*[ranked.c[c] for c in columns]).where(ranked.c.recency == 1)
    db.session.execute(insert(ORG_QUARTERS).from_select(columns, stocks))


def _cube_from(rows, all_time: bool) -> None:
    """Add ``rows`` (one per organisation, measure and period) to the cube by combination. A
    constant period key (all time) is written into the SQL and left out of the GROUP BY."""
    grouped = [rows.c.measure_code, rows.c.unit, *[rows.c[a] for a in _ATTRIBUTES]]
    if not all_time:
        grouped.insert(0, rows.c.period_key)
    source = select(
        ALL_TIME_KEY if all_time else rows.c.period_key,
        *grouped[0 if all_time else 1 :],
        func.sum(rows.c.value),
        func.count(),
        func.sum(rows.c.pounds),
    ).group_by(*grouped)
    columns = ["period_key", *_COLUMNS, "total", "organisations", "pounds"]
    db.session.execute(insert(CUBE).from_select(columns, source))


def _longer_periods() -> None:
    """Financial years and all time from the quarter rows: flows added up per organisation,
    stocks the organisation's latest quarter's figure."""
    q = ORG_QUARTERS.c
    per_org = [q.organisation_id, q.measure_code, q.unit, *[q[a] for a in _ATTRIBUTES]]
    for key, all_time in ((q.year_key, False), (ALL_TIME_KEY, True)):
        keyed = [] if all_time else [key]
        flows = (
            select(
                *per_org,
                key.label("period_key"),
                func.sum(q.value).label("value"),
                func.sum(q.pounds).label("pounds"),
            )
            .where(q.unit.in_(FLOW_UNITS))
            .group_by(*per_org, *keyed)
            .subquery()
        )
        _cube_from(flows, all_time)
        recency = func.row_number().over(
            partition_by=[q.organisation_id, q.measure_code, *keyed],
            order_by=q.period_end.desc(),
        )
        ranked = (
            select(*per_org, key.label("period_key"), q.value, q.pounds, recency.label("recency"))
            .where(q.unit.not_in(FLOW_UNITS))
            .subquery()
        )
        latest = select(ranked).where(ranked.c.recency == 1).subquery()
        _cube_from(latest, all_time)


def stage(period_ends: list[date], proxy, lines) -> None:
    """Fill the two temporary tables (dropped by `drop`, and at the end of the transaction)."""
    drop()
    connection = db.session.connection()
    ORG_QUARTERS.create(connection)
    CUBE.create(connection)
    _organisation_quarters(period_ends, proxy, lines)
    if connection.dialect.name == "postgresql":
        # Temporary tables get no statistics from autovacuum; the plans below need them.
        db.session.execute(text(f"ANALYZE {ORG_QUARTERS.name}"))
    _cube_from(ORG_QUARTERS, False)
    _longer_periods()


# The cells' total and pounds columns are Numeric(18, 2).
CELL_MAX = Decimal("9999999999999999.99")


def largest_totals() -> tuple[Decimal, Decimal]:
    """The largest figure and the largest pounds any cell will hold: the whole of one measure
    in one period (every breakdown and the commissioners' cells are parts of it, figures and
    pounds never being negative)."""
    per_cell = (
        select(func.sum(CUBE.c.total).label("total"), func.sum(CUBE.c.pounds).label("pounds"))
        .group_by(CUBE.c.period_key, CUBE.c.measure_code)
        .subquery()
    )
    total, pounds = db.session.execute(
        select(func.max(per_cell.c.total), func.max(per_cell.c.pounds))
    ).one()
    return Decimal(total or 0), Decimal(pounds or 0)


def cell_rows(dimension_value):
    """Each period's and measure's figure by ``dimension_value`` (a cube column, or a constant
    for the total): columns as `build._insert` takes them."""
    c = CUBE.c
    total = case(
        (
            c.unit.in_(AVERAGED_UNITS),
            func.round(func.sum(c.total) * literal_column("1.0") / func.sum(c.organisations), 2),
        ),
        else_=func.sum(c.total),
    )
    grouped = [c.period_key, c.measure_code, c.unit]
    if dimension_value is not None:
        grouped.append(c[dimension_value])

    def published(column):
        return func.coalesce(func.sum(case((c.publishes == 1, column), else_=0)), 0)

    return select(
        c.period_key,
        c.measure_code,
        c[dimension_value] if dimension_value is not None else literal_column("''"),
        total,
        func.sum(c.organisations),
        func.sum(c.pounds),
        published(c.organisations),
        published(c.total),
        func.sum(case((c.publishes == 1, c.pounds), else_=None)),
    ).group_by(*grouped)
