"""Per-contract figures: for a measure the scheme reports per contract, a return line holds one
figure for each contract active in the period (its dates overlap the period, confirmed by its
commissioner or not) and an optional figure for work "not on a listed contract". The line's
``actual_value`` is their sum, set here in the same transaction: never typed twice.

A contract whose dates were changed so it no longer overlaps the period keeps the figure it
already has on the line (shown, so it can be corrected to 0), rather than losing it silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Contract, ContractFigure, MonitoringReturn, ReturnLine
from charter.models.contract import CONTRACT_CONFIRMATION_LABELS
from charter.models.monitoring import FIGURE_ENDORSED, FIGURE_NOT_ENDORSED, LINE_QUERIED
from charter.models.scheme import PAIR
from charter.services.domain.pledge_periods import covers_of
from charter.services.domain.returns.editing import LineRefused, _touch, flag, require_editable
from charter.services.domain.units import check_total
from workflows.lifecycle import TransitionRefused

OFF_CONTRACT = "Not on a listed contract"
CONTRACT_HAS_FIGURES = (
    "You cannot remove this contract: your monitoring returns give figures for it. If it was "
    "recorded by mistake, contact the scheme team."
)


@dataclass(frozen=True)
class FigureRow:
    """One contract's place on a per-contract line (``contract`` None: not on a listed one)."""

    contract: Contract | None
    figure: ContractFigure | None

    @property
    def key(self) -> str:
        return str(self.contract.id) if self.contract else "none"

    @property
    def label(self) -> str:
        if self.contract is None:
            return OFF_CONTRACT
        return f"{self.contract.title} ({self.contract.commissioner.name})"

    @property
    def confirmation_label(self) -> str | None:
        if self.contract is None:
            return None
        status = self.contract.confirmation_status
        return CONTRACT_CONFIRMATION_LABELS.get(status, status)

    @property
    def value(self) -> Decimal | None:
        return self.figure.value if self.figure else None


def active_contracts(organisation_id: int, start: date, end: date) -> list[Contract]:
    """Contracts whose dates overlap the period, oldest first, with their commissioners."""
    return list(
        db.session.scalars(
            select(Contract)
            .options(joinedload(Contract.commissioner))
            .where(
                Contract.organisation_id == organisation_id,
                Contract.start_date <= end,
                Contract.end_date >= start,
            )
            .order_by(Contract.start_date, Contract.id)
        )
    )


def contracts_of_period(monitoring_return: MonitoringReturn) -> list[Contract]:
    return active_contracts(
        monitoring_return.organisation_id,
        monitoring_return.period_start,
        monitoring_return.period_end,
    )


def contract_has_figures(contract_id: int) -> bool:
    found = db.session.scalar(
        select(ContractFigure.id).where(ContractFigure.contract_id == contract_id).limit(1)
    )
    return found is not None


def figures_by_line(lines: list[ReturnLine]) -> dict[int, list[ContractFigure]]:
    """Every figure of these lines, with contract and commissioner, in one query; the
    "not on a listed contract" figure last."""
    found: dict[int, list[ContractFigure]] = {line.id: [] for line in lines}
    if not found:
        return found
    figures = db.session.scalars(
        select(ContractFigure)
        .outerjoin(Contract, Contract.id == ContractFigure.contract_id)
        .options(joinedload(ContractFigure.contract).joinedload(Contract.commissioner))
        .where(ContractFigure.return_line_id.in_(list(found)))
        .order_by(Contract.id.is_(None), Contract.start_date, Contract.id)
    )
    for figure in figures:
        found[figure.return_line_id].append(figure)
    return found


def figure_rows(monitoring_return: MonitoringReturn, line: ReturnLine) -> list[FigureRow]:
    """The rows of the line's page: each active contract (and any other with a figure), then
    the "not on a listed contract" row."""
    figures = figures_by_line([line])[line.id]
    by_contract = {f.contract_id: f for f in figures}
    covers = covers_of(line, monitoring_return)  # a pledge's year: the contracts of the year
    contracts = active_contracts(monitoring_return.organisation_id, covers.start, covers.end)
    listed = {c.id for c in contracts}
    contracts += [f.contract for f in figures if f.contract_id and f.contract_id not in listed]
    rows = [FigureRow(c, by_contract.get(c.id)) for c in contracts]
    return [*rows, FigureRow(None, by_contract.get(None))]


def save_figures(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    rows: list[FigureRow],
    values: dict[str, Decimal | None],
    *,
    narrative: str,
    response: str | None,
    explanation: str | None = None,
    second_values: dict[str, Decimal | None] | None = None,
) -> None:
    """Store each row's figure (by ``FigureRow.key``) and the line's total; for a pair, each
    row's second figure too (``second_values``) and their total. A changed figure the
    commissioner had endorsed goes back to "not endorsed": they endorsed another number.
    A total the line's column cannot hold is refused (TotalTooLarge) before anything changes."""
    require_editable(monitoring_return, line)
    measure = line.measure
    if not measure.is_per_contract:
        raise TransitionRefused(f"{measure.code} is reported for the whole organisation.")
    is_pair = measure.unit == PAIR
    if is_pair != (second_values is not None):
        raise TransitionRefused(f"{measure.code}: give {'two figures' if is_pair else 'one'}.")
    units = [p["unit"] for p in measure.parts] if is_pair else [measure.unit]
    seconds = second_values or {}
    if is_pair and any((values.get(r.key) is None) != (seconds.get(r.key) is None) for r in rows):
        raise LineRefused(f"Enter both figures for each contract for {measure.code}")
    total = _total(values, units[0], f"the total for {measure.code}")
    second_total = _total(seconds, units[-1], f"the second total for {measure.code}")
    for row in rows:
        value, second = values.get(row.key), seconds.get(row.key)
        figure = row.figure
        if figure is None:
            if value is None:
                continue
            figure = ContractFigure(
                return_line_id=line.id, contract_id=row.contract.id if row.contract else None
            )
            db.session.add(figure)
        elif (
            figure.value != value or figure.second_value != second
        ) and figure.endorsement_status == FIGURE_ENDORSED:
            figure.endorsement_status = FIGURE_NOT_ENDORSED
            figure.endorsed_by_id = None
            figure.endorsed_at = None
        figure.value = value
        figure.second_value = second if is_pair else None
    line.actual_value = total
    line.second_value = second_total if is_pair else None
    line.narrative = narrative
    if line.review_status == LINE_QUERIED:
        line.response = response
    flag(
        monitoring_return, line, [(row.contract, values.get(row.key)) for row in rows], explanation
    )
    _touch(monitoring_return)


def _total(values: dict, unit: str, what: str) -> Decimal | None:
    given = [v for v in values.values() if v is not None]
    total = sum(given, Decimal(0)) if given else None
    if total is not None:
        check_total(total, unit, what=what)
    return total


def figure_for(line: ReturnLine, key: str) -> ContractFigure | None:
    """The line's figure for a row key ("none" or a contract id), made (empty) if the contract
    is one the line may hold, so evidence can be attached before the figure is typed."""
    if key == "none":
        contract_id = None
    elif key.isascii() and key.isdigit() and len(key) < 10:
        contract_id = int(key)
    else:
        return None
    figure = db.session.scalar(
        select(ContractFigure).where(
            ContractFigure.return_line_id == line.id,
            ContractFigure.contract_id.is_(None)
            if contract_id is None
            else ContractFigure.contract_id == contract_id,
        )
    )
    if figure is not None:
        return figure
    monitoring_return = db.session.get(MonitoringReturn, line.return_id)
    if contract_id is not None and contract_id not in {
        c.id for c in contracts_of_period(monitoring_return)
    }:
        return None
    figure = ContractFigure(return_line_id=line.id, contract_id=contract_id)
    db.session.add(figure)
    db.session.flush()
    return figure


def missing_figures(
    monitoring_return: MonitoringReturn,
    lines: list[ReturnLine],
    figures: dict[int, list[ContractFigure]],
) -> dict[int, list[str]]:
    """For each per-contract line, the titles of contracts active in the period it covers
    with no figure yet."""
    missing = {}
    active: dict = {}  # by the period covered: most lines cover their return's
    for line in lines:
        if not line.measure.is_per_contract:
            continue
        covers = covers_of(line, monitoring_return)
        if covers not in active:
            active[covers] = active_contracts(
                monitoring_return.organisation_id, covers.start, covers.end
            )
        contracts = active[covers]
        pair = line.measure.unit == PAIR
        given = {
            f.contract_id
            for f in figures.get(line.id, [])
            if f.value is not None and (not pair or f.second_value is not None)
        }
        missing[line.id] = [c.title for c in contracts if c.id not in given]
    return missing
