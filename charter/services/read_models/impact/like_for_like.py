"""Year-on-year changes like for like: the organisations that reported in both periods.

"Up 362.6 FTE on the year before" meant little when 21 organisations reported this year and 7
the year before. The rebuild adds up, for each measure, period (quarter or financial year) and
the same period a year earlier, the figures of only the organisations that reported in both
(flows added up, stocks their latest figure, percentages averaged), from the staged
per-organisation quarter rows (`staging`): one INSERT ... SELECT, whatever the number of
organisations.

The like-for-like pair is itself a published figure. Shown beside the two totals it tells the
sum of the organisations that joined (this period's total less its like-for-like figure) and of
those that left, so the public sees it only when both totals are shown, at least the disclosure
threshold of organisations reported in both periods, and the organisations that joined, and
those that left, are none or at least the threshold. Otherwise the page compares the two totals
and says how many organisations each is from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, case, func, insert, literal, literal_column, select, union_all

from charter.extensions import db
from charter.models import ImpactCell, ImpactComparison
from charter.models.scheme import FLOW_UNITS
from charter.services.domain import counted_figures
from charter.services.read_models.impact import staging
from charter.services.read_models.impact.periods import parse_period


@dataclass(frozen=True)
class LikeForLike:
    total: Decimal
    previous_total: Decimal
    organisations: int

    @property
    def change(self) -> Decimal:
        return self.total - self.previous_total


def _per_organisation(charter_id: int | None, scope: str):
    """One row per organisation, measure and period (quarters and financial years), with the
    key of the same period a year earlier."""
    q = staging.ORG_QUARTERS.c
    columns = [q.organisation_id, q.measure_code, q.unit]
    quarters = select(*columns, q.period_key, q.value)
    year_flows = (
        select(*columns, q.year_key, func.sum(q.value))
        .where(q.unit.in_(FLOW_UNITS))
        .group_by(*columns, q.year_key)
    )
    recency = func.row_number().over(
        partition_by=[q.organisation_id, q.measure_code, q.year_key],
        order_by=q.period_end.desc(),
    )
    ranked = (
        select(*columns, q.year_key, q.value, recency.label("recency"))
        .where(q.unit.not_in(FLOW_UNITS))
        .subquery()
    )
    year_stocks = select(
        ranked.c.organisation_id,
        ranked.c.measure_code,
        ranked.c.unit,
        ranked.c.year_key,
        ranked.c.value,
    ).where(ranked.c.recency == 1)
    rows = union_all(quarters, year_flows, year_stocks).subquery("rows")
    keys = db.session.scalars(
        select(ImpactCell.period_key)
        .where(counted_figures.of_charter(ImpactCell, charter_id, scope))
        .distinct()
    )
    previous = {}
    for key in keys:
        period = parse_period(key)
        if period is not None and period.previous is not None:
            previous[key] = period.previous.key
    if not previous:
        return None
    return select(
        rows.c.organisation_id.label("organisation_id"),
        rows.c.measure_code.label("measure_code"),
        rows.c.unit.label("unit"),
        rows.c.period_key.label("period_key"),
        rows.c.value.label("value"),
        case(previous, value=rows.c.period_key).label("previous_key"),
    ).cte("per_organisation")


def _added_up(column, unit):
    return case(
        (
            unit.in_(staging.AVERAGED_UNITS),
            func.round(func.sum(column) * literal_column("1.0") / func.count(), 2),
        ),
        else_=func.sum(column),
    )


def stage(charter_id: int | None, scope: str) -> None:
    """Add the charter's (or the charters together's, ``scope``) like-for-like rows (after its
    cells, while its staged rows exist)."""
    per_org = _per_organisation(charter_id, scope)
    if per_org is None:
        return
    now, before = per_org.alias("now"), per_org.alias("before")
    rows = (
        select(
            now.c.period_key,
            now.c.measure_code,
            _added_up(now.c.value, now.c.unit),
            _added_up(before.c.value, now.c.unit),
            func.count(),
            literal(charter_id),
            literal(scope),
        )
        .select_from(now)
        .join(
            before,
            and_(
                before.c.organisation_id == now.c.organisation_id,
                before.c.measure_code == now.c.measure_code,
                before.c.period_key == now.c.previous_key,
            ),
        )
        .group_by(now.c.period_key, now.c.measure_code, now.c.unit)
    )
    columns = ["period_key", "measure_code", "total", "previous_total", "organisations"]
    columns += ["charter_id", "scope"]
    db.session.execute(insert(ImpactComparison).from_select(columns, rows))


def of_period(period_key: str) -> dict[str, ImpactComparison]:
    """The period's like-for-like rows by measure code. One query."""
    rows = db.session.scalars(
        select(ImpactComparison).where(
            ImpactComparison.period_key == period_key,
            counted_figures.of_shown_charter(ImpactComparison),
        )
    )
    return {row.measure_code: row for row in rows}


def shown(
    row: ImpactComparison | None, organisations: int, previous_organisations: int, threshold
) -> LikeForLike | None:
    """The like-for-like pair as the reader may see it: staff (threshold None) always; the
    public when it gives away nothing about the organisations that joined or left (the caller
    has checked that both totals are shown)."""
    if row is None:
        return None
    found = LikeForLike(row.total, row.previous_total, row.organisations)
    if threshold is None:
        return found
    joined = organisations - row.organisations
    left = previous_organisations - row.organisations
    if row.organisations < threshold:
        return None
    if any(0 < count < threshold for count in (joined, left)):
        return None
    return found
