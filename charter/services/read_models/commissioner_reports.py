"""A contract manager's report: what each of their commissioner's confirmed contracts committed
at tender against what it delivered in a period, measure by measure, and what was substituted
and credited on them (``substitutions_and_credits``), for the page and its CSV and Excel
downloads. Which contracts: ``commissioner_report_scope``.

Delivered uses the rules of ``delivery.py`` inside the chosen period: verified figures only,
counted in the period in which their monitoring period ends (the impact pages' periods); a flow
adds up, a stock (FTE, percent) shows its latest figure, a pair each figure by its own unit, an
achievement its date; a pledge of a measure reported for the whole organisation, its figures.

A fixed number of queries whatever the number of contracts: ``load_scope`` is four, ``build``
four (five with pledges of measures reported for the whole organisation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractCommitment,
    ContractFigure,
    Measure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.monitoring import FIGURE_ENDORSED, FIGURE_QUERIED
from charter.services.domain.plausibility import counts
from charter.services.domain.pledges import filled
from charter.services.read_models import substitutions_and_credits
from charter.services.read_models.commissioner_report_scope import (
    ReportScope,
    ScopeContract,
    visible,
)
from charter.services.read_models.commitments import organisation_wide
from charter.services.read_models.delivery import Delivered, adds_up, fold, units
from charter.services.read_models.impact.periods import ALL_TIME, ImpactPeriod
from charter.services.read_models.substitutions_and_credits import SubstitutionsAndCredits


@dataclass(frozen=True)
class ReportFilters:
    period: ImpactPeriod = ALL_TIME
    measure_code: str | None = None
    supplier_id: int | None = None
    contract_id: int | None = None


@dataclass(frozen=True)
class ReportRow:
    contract: Contract
    organisation: Organisation
    commissioner: Commissioner
    committed: Decimal | None  # None: nothing committed on this measure, or a pledge
    delivered: Decimal | None  # None: not reported per contract, or an achievement
    figures: int = 0  # verified figures counted
    endorsed: int = 0  # of which the commissioner endorsed
    queried: int = 0  # of which the commissioner queried
    latest: date | None = None  # end of the latest figure's period (what a stock shows)
    # A pair's second figure, an achievement's date (charter.services.read_models.delivery),
    # a pledge as made, and whether the figures are the supplier's whole organisation's (a
    # pledge of a measure its scheme reports for the organisation: nothing to endorse).
    second: Decimal | None = None
    achieved_on: date | None = None
    pledge: str | None = None
    organisation_wide: bool = False
    followed: bool = True  # figures are counted for it (per contract, or the organisation's)

    @property
    def share(self) -> int | None:
        """Percent of the commitment delivered in the period."""
        if self.delivered is None or self.committed is None or self.committed <= 0:
            return None
        return int(self.delivered * 100 / self.committed)


@dataclass
class MeasureTable:
    measure: Measure
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        """Percentages are not added across contracts; money, counts and FTE are; a pair's
        figures each by its own unit (never into one number), an achievement never."""
        return adds_up(self.measure.unit)

    @property
    def followed(self) -> bool:
        return any(row.followed for row in self.rows)

    def _total(self, values: Iterable[Decimal | None], unit: str | None) -> Decimal | None:
        present = [v for v in values if v is not None]
        # The whole organisation's figures repeat on each of its contracts: not added.
        if not adds_up(unit) or not present or any(r.organisation_wide for r in self.rows):
            return None
        return sum(present, Decimal(0))

    @property
    def committed(self) -> Decimal | None:
        return self._total((row.committed for row in self.rows), self.measure.unit)

    @property
    def delivered(self) -> Decimal | None:
        return self._total((row.delivered for row in self.rows), units(self.measure)[0])

    @property
    def second(self) -> Decimal | None:
        return self._total((row.second for row in self.rows), units(self.measure)[1])

    @property
    def figures(self) -> int:
        return sum(row.figures for row in self.rows)

    @property
    def endorsed(self) -> int:
        return sum(row.endorsed for row in self.rows)

    @property
    def queried(self) -> int:
        return sum(row.queried for row in self.rows)


@dataclass
class CommissionerReport:
    scope: ReportScope
    filters: ReportFilters
    tables: list[MeasureTable]
    # Alternatives accepted and service credits recorded on the contracts chosen, in the period.
    changes: SubstitutionsAndCredits = field(default_factory=SubstitutionsAndCredits)

    @property
    def contracts_shown(self) -> int:
        return len({row.contract.id for table in self.tables for row in table.rows})


def endorsement_text(
    figures: int, endorsed: int, queried: int, followed: bool, organisation_wide: bool = False
) -> str:
    """One line on the endorsement of the figures counted, for the page and the downloads."""
    if not followed:
        return "Reported for the whole organisation"
    if figures == 0:
        return "No verified figures"
    if organisation_wide:
        return "The whole organisation’s figures, not endorsed per contract"
    if endorsed == figures:
        return "All endorsed" if figures > 1 else "Endorsed"
    text = "Not endorsed" if endorsed == 0 else f"{endorsed} of {figures} endorsed"
    return f"{text}, {queried} queried" if queried else text


# --- the report -------------------------------------------------------------------------------


def _narrow(query, filters: ReportFilters):
    if filters.supplier_id is not None:
        query = query.where(Contract.organisation_id == filters.supplier_id)
    if filters.contract_id is not None:
        query = query.where(Contract.id == filters.contract_id)
    if filters.measure_code is not None:
        query = query.where(Measure.code == filters.measure_code)
    return query


def build(user: User, scope: ReportScope, filters: ReportFilters) -> CommissionerReport:
    """One table per measure, one row per contract with a commitment or a verified figure on
    it in the period, then totals: two queries; then what was substituted and credited on the
    contracts chosen: two more."""
    ids = [c.id for c in scope.commissioners]
    shown = visible(user, ids)
    by_id = {item.contract.id: item for item in scope.contracts}
    measures = {m.code: m for m in scope.measures}

    commitments = db.session.execute(
        _narrow(
            select(
                ContractCommitment.contract_id,
                Measure,
                ContractCommitment.target_value,
                ContractCommitment.pledge_numbers,
            )
            .join(Contract, Contract.id == ContractCommitment.contract_id)
            .join(Measure, Measure.id == ContractCommitment.measure_id)
            # A commitment an accepted alternative replaced is no longer owed.
            .where(shown, ContractCommitment.substituted_at.is_(None)),
            filters,
        )
    ).all()
    figures = _narrow(
        select(
            ContractFigure.contract_id,
            Measure,
            MonitoringReturn.period_end,
            ContractFigure.value,
            ContractFigure.second_value,
            ContractFigure.endorsement_status,
        )
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(shown, counts(), ContractFigure.value.is_not(None))
        .order_by(MonitoringReturn.period_end, MonitoringReturn.id),
        filters,
    )
    if filters.period.start is not None:
        figures = figures.where(
            MonitoringReturn.period_end >= filters.period.start,
            MonitoringReturn.period_end <= filters.period.end,
        )

    cells: dict[tuple[str, int], dict] = {}
    for contract_id, measure, target, numbers in commitments:
        measures.setdefault(measure.code, measure)
        cell = cells.setdefault((measure.code, contract_id), {"figures": []})
        cell["committed"] = target
        if numbers is not None and measure.pledge:
            cell["pledge"] = filled(measure.pledge, numbers)
            if not measure.is_per_contract:  # its figures are the whole organisation's
                cell["whole"] = measure.id
    for contract_id, measure, end, value, second, status in db.session.execute(figures):
        measures.setdefault(measure.code, measure)
        cells.setdefault((measure.code, contract_id), {"figures": []})["figures"].append(
            (None, end, value, second, None, status)
        )
    wide = sorted({by_id[c].organisation.id for (_, c), cell in cells.items() if "whole" in cell})
    whole = organisation_wide(wide, filters.period.end or date.max, filters.period.start)

    tables: dict[str, MeasureTable] = {}
    for measure in sorted(measures.values(), key=lambda m: (m.position, m.code)):
        tables[measure.code] = MeasureTable(measure)
    for (code, contract_id), cell in cells.items():
        item = by_id.get(contract_id)
        if item is None:  # confirmed or withdrawn between the two reads: left out
            continue
        tables[code].rows.append(_row(item, measures[code], cell, whole))
    order = {contract_id: n for n, contract_id in enumerate(by_id)}
    for table in tables.values():
        table.rows.sort(key=lambda row: order[row.contract.id])
    chosen = [
        contract_id
        for contract_id, item in by_id.items()
        if filters.contract_id in (None, contract_id)
        and filters.supplier_id in (None, item.organisation.id)
    ]
    changes = substitutions_and_credits.for_report(chosen, filters.period, filters.measure_code)
    return CommissionerReport(scope, filters, [t for t in tables.values() if t.rows], changes)


def _row(item: ScopeContract, measure: Measure, cell: dict, whole: dict) -> ReportRow:
    """``cell``: the contract's commitment and own verified figures in the period; ``whole``:
    the organisation's, for a pledge its scheme reports for the whole organisation."""
    found = cell["figures"]
    organisation_wide = "whole" in cell
    if organisation_wide:
        found = [(*f, None) for f in whole.get((item.organisation.id, cell["whole"]), [])]
    followed = measure.is_per_contract or organisation_wide
    delivered = fold(measure, found) if followed else Delivered(None)
    return ReportRow(
        contract=item.contract,
        organisation=item.organisation,
        commissioner=item.commissioner,
        committed=cell.get("committed"),
        delivered=delivered.first,
        figures=len(found),
        endorsed=sum(1 for f in found if f[5] == FIGURE_ENDORSED),
        queried=sum(1 for f in found if f[5] == FIGURE_QUERIED),
        latest=found[-1][1] if found else None,
        second=delivered.second,
        achieved_on=delivered.achieved_on,
        pledge=cell.get("pledge"),
        organisation_wide=organisation_wide,
        followed=followed,
    )
