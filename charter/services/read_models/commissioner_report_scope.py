"""What a contract manager may report on (the contract managers' report, issue 21): their
commissioners' contracts, whatever the charter, only those the commissioner has confirmed (the
rest are the supplier's word so far), and never a contract of an organisation the manager is a
member of: they may not judge their own organisation's records (the same rule as the contract
pages, in ``charter.commissioner.access``). And the choices the report's filters offer.

``visible`` is the condition the report's reads of commitments and figures use
(``commissioner_reports``); what was substituted and credited is read for the contracts
``load_scope`` found. ``load_scope`` is four queries whatever the number of contracts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractCommitment,
    ContractFigure,
    Measure,
    Membership,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import REPORTED_PER_CONTRACT
from charter.services.domain.schemes import current_scheme
from charter.services.read_models.impact.periods import ALL_TIME, ImpactPeriod, quarter_of, year_of


@dataclass(frozen=True)
class ScopeContract:
    contract: Contract
    organisation: Organisation
    commissioner: Commissioner


@dataclass
class ReportScope:
    """What the manager may report on, and the choices the filters offer."""

    commissioners: list[Commissioner]
    contracts: list[ScopeContract]
    measures: list[Measure]  # by code, in scheme order
    periods: list[ImpactPeriod]  # with verified figures on these contracts, newest first
    not_confirmed: int = 0  # the commissioners' contracts waiting for confirmation or disputed
    conflicts: int = 0  # confirmed contracts hidden: the manager belongs to the supplier

    @property
    def is_empty(self) -> bool:
        return not self.contracts

    @property
    def suppliers(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for item in self.contracts:
            seen.setdefault(item.organisation.id, item.organisation)
        return sorted(seen.values(), key=lambda o: (o.name.lower(), o.id))


def _conditions(user: User, commissioner_ids: list[int]):
    mine = Contract.commissioner_id.in_(commissioner_ids)
    theirs = Contract.organisation_id.in_(
        select(Membership.organisation_id).where(Membership.user_id == user.id)
    )
    return mine, theirs


def visible(user: User, commissioner_ids: list[int]):
    mine, theirs = _conditions(user, commissioner_ids)
    return and_(mine, ~theirs, Contract.confirmation_status == CONTRACT_CONFIRMED)


def _period_options(ends: Iterable[date]) -> list[ImpactPeriod]:
    found = {}
    for end in ends:
        for period in (year_of(end), quarter_of(end)):
            found[period.key] = period
    years = sorted((p for p in found.values() if p.kind == "year"), key=lambda p: p.start)
    quarters = sorted((p for p in found.values() if p.kind == "quarter"), key=lambda p: p.start)
    return [ALL_TIME, *reversed(years), *reversed(quarters)]


def load_scope(user: User, commissioners: list[Commissioner]) -> ReportScope:
    """The manager's confirmed contracts and the filters' choices: four queries."""
    ids = [c.id for c in commissioners]
    shown = visible(user, ids)
    contracts = [
        ScopeContract(*row)
        for row in db.session.execute(
            select(Contract, Organisation, Commissioner)
            .join(Organisation, Organisation.id == Contract.organisation_id)
            .join(Commissioner, Commissioner.id == Contract.commissioner_id)
            .where(shown)
            .order_by(func.lower(Organisation.name), Organisation.id, Contract.title, Contract.id)
        )
    ]
    mine, theirs = _conditions(user, ids)
    confirmed = Contract.confirmation_status == CONTRACT_CONFIRMED
    not_confirmed, conflicts = db.session.execute(
        select(
            func.coalesce(func.sum(case((and_(~theirs, ~confirmed), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(theirs, confirmed), 1), else_=0)), 0),
        ).where(mine)
    ).one()
    # Every measure a contract committed to or has a verified figure for, and the current
    # scheme's per-contract measures; by code, as scheme versions repeat codes.
    scheme = current_scheme()
    committed = select(ContractCommitment.measure_id).join(
        Contract, Contract.id == ContractCommitment.contract_id
    )
    measures: dict[str, Measure] = {}
    for measure in db.session.scalars(
        select(Measure)
        .where(
            or_(
                Measure.id.in_(committed.where(shown)),
                and_(
                    Measure.scheme_id == (scheme.id if scheme else -1),
                    Measure.reporting == REPORTED_PER_CONTRACT,
                ),
            )
        )
        .order_by(Measure.position, Measure.scheme_id.desc())
    ):
        measures.setdefault(measure.code, measure)
    ends = db.session.scalars(
        select(MonitoringReturn.period_end)
        .join(ReturnLine, ReturnLine.return_id == MonitoringReturn.id)
        .join(ContractFigure, ContractFigure.return_line_id == ReturnLine.id)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .where(shown, MonitoringReturn.status == RETURN_VERIFIED)
        .distinct()
    )
    return ReportScope(
        commissioners=commissioners,
        contracts=contracts,
        measures=list(measures.values()),
        periods=_period_options(ends),
        not_confirmed=int(not_confirmed),
        conflicts=int(conflicts),
    )
