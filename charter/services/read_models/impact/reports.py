"""Staff reports: the impact figures unsuppressed, as tables of rows × measures (the unit in
each measure's heading), for the admin page and its CSV and Excel downloads.

Breakdowns come from the summary rows; the per-contract table is one GROUP BY over the
per-contract figures, filtered. Each table is one query whatever the number of organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractFigure,
    ImpactCell,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
)
from charter.models.impact import (
    DIMENSION_ALL,
    DIMENSION_COMMISSIONER,
    DIMENSION_DISTRICT,
    DIMENSION_SECTOR,
    DIMENSION_TYPE,
)
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.domain import counted_figures
from charter.services.domain.plausibility import counts
from charter.services.read_models.impact.periods import ImpactPeriod

UNIT_HEADINGS = {"GBP": "£", "FTE": "FTE", "weeks": "weeks", "hours": "hours", "percent": "%"}


@dataclass(frozen=True)
class ReportFilters:
    period: ImpactPeriod
    measure_code: str | None = None
    district: str | None = None
    sector: str | None = None
    commissioner_id: int | None = None


@dataclass
class ReportTable:
    key: str
    title: str
    label_headings: list[str]
    measures: list[Measure]
    rows: list[tuple[list[str], dict[str, Decimal]]] = field(default_factory=list)

    def heading(self, measure: Measure) -> str:
        unit = UNIT_HEADINGS.get(measure.unit, measure.unit)
        return f"{measure.code} ({unit})"

    def drop_empty_measures(self) -> None:
        """Keep only the measures some row has a figure for, so tables stay narrow."""
        present = {code for _labels, by_code in self.rows for code in by_code}
        self.measures = [m for m in self.measures if m.code in present]

    @property
    def headings(self) -> list[str]:
        return [*self.label_headings, *(self.heading(m) for m in self.measures)]

    def values(self, row) -> list:
        labels, by_code = row
        return [*labels, *(by_code.get(m.code) for m in self.measures)]


BREAKDOWNS = [
    (DIMENSION_ALL, "Totals", "Period"),
    (DIMENSION_DISTRICT, "By district", "District"),
    (DIMENSION_SECTOR, "By sector", "Sector"),
    (DIMENSION_TYPE, "By type of organisation", "Type"),
    (DIMENSION_COMMISSIONER, "By commissioner", "Commissioner"),
]


def _chosen(measures: list[Measure], filters: ReportFilters) -> list[Measure]:
    if filters.measure_code:
        return [m for m in measures if m.code == filters.measure_code]
    return measures


def breakdown_tables(filters: ReportFilters, measures: list[Measure]) -> list[ReportTable]:
    """Totals and the four breakdowns for the period, unsuppressed. One query."""
    chosen = _chosen(measures, filters)
    codes = [m.code for m in chosen]
    cells = db.session.scalars(
        select(ImpactCell)
        .where(
            ImpactCell.period_key == filters.period.key,
            ImpactCell.measure_code.in_(codes),
            counted_figures.of_shown_charter(ImpactCell),
        )
        .order_by(ImpactCell.dimension_value)
    )
    commissioner_name = None
    if filters.commissioner_id is not None:
        commissioner_name = db.session.scalar(
            select(Commissioner.name).where(Commissioner.id == filters.commissioner_id)
        )
    keep = {
        DIMENSION_DISTRICT: filters.district,
        DIMENSION_SECTOR: filters.sector,
        DIMENSION_COMMISSIONER: commissioner_name,
    }
    tables = {key: ReportTable(key, title, [heading], chosen) for key, title, heading in BREAKDOWNS}
    rows: dict[tuple[str, str], dict[str, Decimal]] = {}
    for cell in cells:
        wanted = keep.get(cell.dimension)
        if wanted is not None and cell.dimension_value != wanted:
            continue
        rows.setdefault((cell.dimension, cell.dimension_value), {})[cell.measure_code] = cell.total
    for (dimension, value), by_code in rows.items():
        label = filters.period.label if dimension == DIMENSION_ALL else value
        if dimension == DIMENSION_TYPE:
            label = ORGANISATION_TYPES.get(value, value)
        tables[dimension].rows.append(([label], by_code))
    for table in tables.values():
        table.drop_empty_measures()
    return list(tables.values())


def contract_table(filters: ReportFilters, measures: list[Measure]) -> ReportTable:
    """What was delivered on each contract in the period (verified per-contract figures)."""
    chosen = _chosen(measures, filters)
    query = (
        select(
            Contract.id,
            Contract.title,
            Contract.reference,
            Commissioner.name,
            Organisation.name,
            Measure.code,
            db.func.sum(ContractFigure.value),
        )
        .select_from(ContractFigure)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(
            counts(),
            ContractFigure.value.is_not(None),
            Measure.code.in_([m.code for m in chosen]),
        )
        .group_by(
            Contract.id,
            Contract.title,
            Contract.reference,
            Commissioner.name,
            Organisation.name,
            Measure.code,
        )
        .order_by(Commissioner.name, Organisation.name, Contract.title, Contract.id)
    )
    if filters.period.start is not None:
        query = query.where(
            MonitoringReturn.period_end >= filters.period.start,
            MonitoringReturn.period_end <= filters.period.end,
        )
    if filters.district:
        query = query.where(Organisation.district == filters.district)
    if filters.sector:
        query = query.where(Organisation.sector == filters.sector)
    if filters.commissioner_id is not None:
        query = query.where(Contract.commissioner_id == filters.commissioner_id)
    table = ReportTable(
        "contracts",
        "By contract",
        ["Contract", "Reference", "Commissioner", "Organisation"],
        chosen,
    )
    rows: dict[int, tuple[list[str], dict[str, Decimal]]] = {}
    for (
        contract_id,
        title,
        reference,
        commissioner,
        organisation,
        code,
        total,
    ) in db.session.execute(query):
        labels = [title, reference or "", commissioner, organisation]
        rows.setdefault(contract_id, (labels, {}))[1][code] = total
    table.rows = list(rows.values())
    table.drop_empty_measures()
    return table
