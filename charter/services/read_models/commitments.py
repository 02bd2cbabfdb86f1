"""Commitments made at tender against what was delivered, contract by contract.

The one place this is computed: the organisation's contract page and dashboard, the assessor's
application view and the commissioner's contract view all render its result through
``templates/partials/commitments-delivered.html``, so they show the same figures.

For each contract and each measure committed on it:

- **committed**: the target promised at tender (ContractCommitment.target_value);
- **delivered to date**: from that contract's own figures on *verified* returns for periods
  ended by the date of the report: the sum for a flow (money, hours, weeks, counts), the latest
  figure for a stock (FTE, percent); a pair's two figures each by its own unit's rule; for an
  achievement, the date a verified return says it was achieved. A measure the scheme reports
  for the whole organisation has no per-contract figures, so nothing is attributed to the
  contract (shown as such), except for a toolkit pledge (issue 21): its figures are the whole
  organisation's, shown as such;
- **share delivered** (delivered ÷ committed) against the **share of the contract's term
  elapsed** on the report's date (0% before it starts, 100% after it ends).

Two queries whatever the number of contracts, commitments or periods (three with pledges
of a measure the scheme reports for the whole organisation, whose figures are its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, or_, select

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
)
from charter.models.scheme import ACHIEVEMENT, REPORTED_PER_CONTRACT
from charter.services.domain.periods import Period
from charter.services.domain.plausibility import counts
from charter.services.domain.pledge_periods import covers_start
from charter.services.domain.pledges import filled
from charter.services.read_models.delivery import Delivered, fold


@dataclass(frozen=True)
class CommitmentProgress:
    measure: Measure
    committed: Decimal | None  # None: a pledge, whose numbers are the pledge's own
    notes: str | None
    delivered: Decimal | None  # None: the measure is not reported per contract
    figures: int  # verified figures counted
    latest: Period | None  # the period of the latest figure (what a stock shows)
    # Replaced by an accepted alternative of equal value, and the code of the measure an
    # alternative replaces (charter.services.domain.commitment_alternatives).
    substituted: bool = False
    replaces_code: str | None = None
    # A pair's second figure delivered (its own unit's rule); the date a pledged achievement was
    # achieved, from the latest verified return saying so; and whether the figures are the
    # whole organisation's (a pledge its scheme reports for the organisation, not per contract).
    second: Decimal | None = None
    achieved_on: date | None = None
    organisation_wide: bool = False
    pledge: str | None = None  # a pledge as the supplier made it, its numbers filled in

    @property
    def is_followed(self) -> bool:
        return self.delivered is not None

    @property
    def share_delivered(self) -> int | None:
        """Percent of the commitment delivered; None when not followed or nothing committed."""
        if self.delivered is None or self.committed is None or self.committed <= 0:
            return None
        return int(self.delivered * 100 / self.committed)


@dataclass(frozen=True)
class ContractCommitments:
    contract: Contract
    commissioner: Commissioner
    share_elapsed: int  # percent of the contract's term elapsed on the report's date
    rows: tuple[CommitmentProgress, ...]

    def behind(self, row: CommitmentProgress) -> bool:
        """Delivered a smaller share of a flow than the share of the term gone."""
        share = row.share_delivered
        if row.substituted:  # replaced by an alternative: no longer owed
            return False
        return row.measure.is_flow and share is not None and share < self.share_elapsed


@dataclass(frozen=True)
class CommitmentsReport:
    at: date  # the date the shares are computed at
    contracts: tuple[ContractCommitments, ...]
    single_contract: bool = False  # for one contract's page: no per-contract headings

    @property
    def is_empty(self) -> bool:
        return not self.contracts


def share_of_term(contract: Contract, at: date) -> int:
    if at <= contract.start_date:
        return 0
    if at >= contract.end_date:
        return 100
    return int(
        (at - contract.start_date).days * 100 / (contract.end_date - contract.start_date).days
    )


def _delivered(contract_ids: list[int], at: date) -> dict[tuple[int, int], list]:
    """(contract id, measure id) -> [(start of the period covered, period end, value, second
    value)], oldest first (a yearly pledge's figure covers its year, ``covers_start``)."""
    found: dict[tuple[int, int], list] = {}
    if not contract_ids:
        return found
    rows = db.session.execute(
        select(
            ContractFigure.contract_id,
            ReturnLine.measure_id,
            covers_start(),
            MonitoringReturn.period_end,
            ContractFigure.value,
            ContractFigure.second_value,
        )
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            ContractFigure.contract_id.in_(contract_ids),
            ContractFigure.value.is_not(None),
            counts(),
            MonitoringReturn.period_end <= at,
        )
        .order_by(MonitoringReturn.period_end, MonitoringReturn.id)
    ).all()
    for contract_id, measure_id, start, end, value, second in rows:
        found.setdefault((contract_id, measure_id), []).append((start, end, value, second))
    return found


def organisation_wide(
    organisation_ids: list[int], at: date, since: date | None = None
) -> dict[tuple[int, int], list]:
    """(organisation id, measure id) -> [(period start, period end, value, second value,
    achieved on)] of its verified lines of measures reported for the whole organisation, oldest
    first: what a pledge of such a measure delivered, for periods ended by ``at`` (and from
    ``since``: the contract managers' report's period). One query."""
    found: dict[tuple[int, int], list] = {}
    if not organisation_ids:
        return found
    rows = db.session.execute(
        select(
            MonitoringReturn.organisation_id,
            ReturnLine.measure_id,
            covers_start(),
            MonitoringReturn.period_end,
            ReturnLine.actual_value,
            ReturnLine.second_value,
            case((ReturnLine.achieved.is_(True), ReturnLine.achieved_on), else_=None),
        )
        .join(ReturnLine, ReturnLine.return_id == MonitoringReturn.id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(
            MonitoringReturn.organisation_id.in_(organisation_ids),
            Measure.reporting != REPORTED_PER_CONTRACT,
            or_(ReturnLine.actual_value.is_not(None), ReturnLine.achieved.is_(True)),
            counts(),
            MonitoringReturn.period_end <= at,
            MonitoringReturn.period_end >= (since or date.min),
        )
        .order_by(MonitoringReturn.period_end, MonitoringReturn.id)
    ).all()
    for organisation_id, measure_id, *figure in rows:
        found.setdefault((organisation_id, measure_id), []).append(tuple(figure))
    return found


def _row(
    commitment: ContractCommitment,
    measure: Measure,
    figures: list,
    codes: dict[int, str],
    whole: list,
) -> CommitmentProgress:
    """``figures``: the contract's own (per contract); ``whole``: the organisation's, for a
    pledge its scheme reports for the whole organisation."""
    organisation_wide = not measure.is_per_contract and commitment.pledge_numbers is not None
    if organisation_wide:
        figures = whole
    latest = Period(figures[-1][0], figures[-1][1]) if figures else None
    delivered = Delivered(None)
    if measure.unit == ACHIEVEMENT or measure.is_per_contract or organisation_wide:
        delivered = fold(measure, figures)
    return CommitmentProgress(
        measure=measure,
        committed=commitment.target_value,
        notes=commitment.notes,
        delivered=delivered.first,
        figures=len(figures) if (measure.is_per_contract or organisation_wide) else 0,
        latest=latest,
        substituted=commitment.substituted_at is not None,
        replaces_code=codes.get(commitment.replaces_id) if commitment.replaces_id else None,
        second=delivered.second,
        achieved_on=delivered.achieved_on,
        organisation_wide=organisation_wide,
        pledge=(
            filled(measure.pledge, commitment.pledge_numbers)
            if commitment.pledge_numbers is not None and measure.pledge
            else None
        ),
    )


def _report(condition, at: date | None, *, single: bool = False) -> CommitmentsReport:
    at = at or date.today()
    rows = db.session.execute(
        select(ContractCommitment, Contract, Measure, Commissioner)
        .join(Contract, Contract.id == ContractCommitment.contract_id)
        .join(Measure, Measure.id == ContractCommitment.measure_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .where(condition)
        .order_by(Contract.start_date.desc(), Contract.id.desc(), Measure.position)
    ).all()
    delivered = _delivered(sorted({contract.id for _c, contract, _m, _o in rows}), at)
    codes = {commitment.id: measure.code for commitment, _c, measure, _o in rows}
    wide = {c.organisation_id for p, c, m, _o in rows if p.pledge_numbers and not m.is_per_contract}
    whole = organisation_wide(sorted(wide), at)
    by_contract: dict[int, tuple[Contract, Commissioner, list]] = {}
    for commitment, contract, measure, commissioner in rows:
        entry = by_contract.setdefault(contract.id, (contract, commissioner, []))
        found = delivered.get((contract.id, measure.id), [])
        own = whole.get((contract.organisation_id, measure.id), [])
        entry[2].append(_row(commitment, measure, found, codes, own))
    contracts = tuple(
        ContractCommitments(contract, commissioner, share_of_term(contract, at), tuple(items))
        for contract, commissioner, items in by_contract.values()
    )
    return CommitmentsReport(at, contracts, single_contract=single)


def for_organisation(organisation: Organisation, at: date | None = None) -> CommitmentsReport:
    """Every contract of the organisation that has commitments, newest start first."""
    return _report(Contract.organisation_id == organisation.id, at)


def for_contracts(condition, at: date | None = None) -> CommitmentsReport:
    """Every contract matching the SQL ``condition`` that has commitments (a report's)."""
    return _report(condition, at)


def for_contract(contract: Contract, at: date | None = None) -> CommitmentsReport:
    return _report(Contract.id == contract.id, at, single=True)
