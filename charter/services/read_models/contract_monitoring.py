"""Reading contract monitoring: a contract manager's work list, a contract's figures by period
with their endorsement, the endorsement state assessors see, queries waiting for a supplier and
the audit trail. Each read is a fixed number of queries, whatever the number of contracts or
periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from charter.extensions import db
from charter.formatting import format_period
from charter.models import (
    Commissioner,
    Contract,
    ContractFigure,
    ContractMonitoringEvent,
    Measure,
    Membership,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.contract import CONTRACT_DISPUTED, CONTRACT_UNCONFIRMED
from charter.models.monitoring import (
    FIGURE_ENDORSEMENT_LABELS,
    FIGURE_NOT_ENDORSED,
    FIGURE_QUERIED,
    RETURN_DRAFT,
)

# A figure waits for the contract manager when no one has looked at it, or when the supplier
# has answered their query.
_ANSWERED = and_(
    ContractFigure.endorsement_status == FIGURE_QUERIED, ContractFigure.responded_at.is_not(None)
)
_WAITING_FOR_MANAGER = or_(ContractFigure.endorsement_status == FIGURE_NOT_ENDORSED, _ANSWERED)


def _member_organisations(user: User):
    return select(Membership.organisation_id).where(Membership.user_id == user.id)


# --- the work list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingContract:
    contract: Contract
    organisation: Organisation
    commissioner: Commissioner


@dataclass(frozen=True)
class WaitingPeriod:
    contract: Contract
    organisation: Organisation
    commissioner: Commissioner
    monitoring_return: MonitoringReturn
    waiting: int  # figures not endorsed, or queried and answered
    answered: int  # of which answers to the manager's queries


@dataclass
class WorkList:
    contracts: list[WaitingContract] = field(default_factory=list)
    periods: list[WaitingPeriod] = field(default_factory=list)
    disputed: int = 0  # contracts waiting for the supplier to correct them
    queries_open: int = 0  # figures waiting for the supplier's answer
    conflicts: int = 0  # items hidden because the manager belongs to the organisation

    @property
    def figures_waiting(self) -> int:
        return sum(period.waiting for period in self.periods)


def work_list(user: User, commissioner_ids: list[int]) -> WorkList:
    """What waits for ``user`` across their commissioners, oldest first: six queries."""
    result = WorkList()
    if not commissioner_ids:
        return result
    mine = Contract.commissioner_id.in_(commissioner_ids)
    theirs = Contract.organisation_id.in_(_member_organisations(user))
    rows = db.session.execute(
        select(Contract, Organisation, Commissioner)
        .join(Organisation, Organisation.id == Contract.organisation_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .where(mine, ~theirs, Contract.confirmation_status == CONTRACT_UNCONFIRMED)
        .order_by(Contract.created_at, Contract.id)
    ).all()
    result.contracts = [WaitingContract(*row) for row in rows]

    answered = func.sum(case((_ANSWERED, 1), else_=0))
    sent_at = func.coalesce(MonitoringReturn.submitted_at, MonitoringReturn.created_at)
    rows = db.session.execute(
        select(
            Contract, Organisation, Commissioner, MonitoringReturn, func.count(ContractFigure.id)
        )
        .add_columns(answered)
        .select_from(ContractFigure)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Organisation, Organisation.id == Contract.organisation_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(mine, ~theirs, MonitoringReturn.status != RETURN_DRAFT, _WAITING_FOR_MANAGER)
        .group_by(Contract.id, Organisation.id, Commissioner.id, MonitoringReturn.id)
        .order_by(sent_at, MonitoringReturn.period_start, Contract.id)
    ).all()
    result.periods = [
        WaitingPeriod(contract, organisation, commissioner, ret, int(count), int(ans or 0))
        for contract, organisation, commissioner, ret, count, ans in rows
    ]

    result.disputed = db.session.scalar(
        select(func.count(Contract.id)).where(
            mine, ~theirs, Contract.confirmation_status == CONTRACT_DISPUTED
        )
    )
    result.queries_open = db.session.scalar(
        select(func.count(ContractFigure.id))
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .where(
            mine,
            ~theirs,
            ContractFigure.endorsement_status == FIGURE_QUERIED,
            ContractFigure.responded_at.is_(None),
        )
    )
    result.conflicts = db.session.scalar(
        select(func.count(Contract.id)).where(
            mine, theirs, Contract.confirmation_status == CONTRACT_UNCONFIRMED
        )
    )
    return result


# --- one contract's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    figure: ContractFigure
    measure: Measure
    endorsed_by: str | None
    queried_by: str | None
    # The return line the figure adds up to: its plausibility flags and the explanation.
    line: ReturnLine | None = None

    @property
    def waiting_for_manager(self) -> bool:
        status = self.figure.endorsement_status
        return status == FIGURE_NOT_ENDORSED or (
            status == FIGURE_QUERIED and self.figure.responded_at is not None
        )


@dataclass
class PeriodFigures:
    monitoring_return: MonitoringReturn
    rows: list[FigureRow] = field(default_factory=list)

    @property
    def to_endorse(self) -> int:
        return sum(1 for row in self.rows if row.figure.endorsement_status != "endorsed")


def figures_by_period(contract: Contract) -> list[PeriodFigures]:
    """The contract's figures in sent returns, newest period first, measures in scheme order:
    one query."""
    endorser = aliased(User)
    querier = aliased(User)
    rows = db.session.execute(
        select(
            ContractFigure,
            Measure,
            MonitoringReturn,
            endorser.full_name,
            querier.full_name,
            ReturnLine,
        )
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .outerjoin(endorser, endorser.id == ContractFigure.endorsed_by_id)
        .outerjoin(querier, querier.id == ContractFigure.queried_by_id)
        .where(ContractFigure.contract_id == contract.id, MonitoringReturn.status != RETURN_DRAFT)
        .order_by(MonitoringReturn.period_start.desc(), Measure.position, ContractFigure.id)
    ).all()
    periods: dict[int, PeriodFigures] = {}
    for figure, measure, ret, endorsed_by, queried_by, line in rows:
        period = periods.setdefault(ret.id, PeriodFigures(ret))
        period.rows.append(FigureRow(figure, measure, endorsed_by, queried_by, line))
    return list(periods.values())


# --- what assessors see -----------------------------------------------------------------------


@dataclass(frozen=True)
class FigureEndorsement:
    figure_id: int
    return_line_id: int
    contract_id: int | None
    status: str
    commissioner: str | None
    by: str | None  # who endorsed or queried it
    at: datetime | None
    query_comment: str | None
    supplier_response: str | None

    @property
    def label(self) -> str:
        if self.contract_id is None:
            return "Not on a listed contract"
        return FIGURE_ENDORSEMENT_LABELS.get(self.status, self.status)

    @property
    def tag_class(self) -> str:
        return {"endorsed": "govuk-tag--green", "queried": "govuk-tag--orange"}.get(
            self.status, "govuk-tag--grey"
        )


def figure_endorsements(return_ids: Iterable[int]) -> dict[int, FigureEndorsement]:
    """Each figure's endorsement in the given returns, by figure id: one query. For the
    assessor's return and application views. A figure "not on a listed contract" has no
    commissioner to endorse it."""
    ids = list(return_ids)
    if not ids:
        return {}
    endorser = aliased(User)
    querier = aliased(User)
    rows = db.session.execute(
        select(ContractFigure, Commissioner.name, endorser.full_name, querier.full_name)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .outerjoin(Contract, Contract.id == ContractFigure.contract_id)
        .outerjoin(Commissioner, Commissioner.id == Contract.commissioner_id)
        .outerjoin(endorser, endorser.id == ContractFigure.endorsed_by_id)
        .outerjoin(querier, querier.id == ContractFigure.queried_by_id)
        .where(ReturnLine.return_id.in_(ids))
    ).all()
    result = {}
    for figure, commissioner, endorsed_by, queried_by in rows:
        queried = figure.endorsement_status == FIGURE_QUERIED
        result[figure.id] = FigureEndorsement(
            figure_id=figure.id,
            return_line_id=figure.return_line_id,
            contract_id=figure.contract_id,
            status=figure.endorsement_status,
            commissioner=commissioner,
            by=queried_by if queried else endorsed_by,
            at=figure.queried_at if queried else figure.endorsed_at,
            query_comment=figure.query_comment if queried else None,
            supplier_response=figure.supplier_response if queried else None,
        )
    return result


def endorsed_share(return_ids: Iterable[int]) -> tuple[int, int]:
    """(endorsed, all) per-contract figures on listed contracts in the given returns."""
    states = figure_endorsements(return_ids).values()
    listed = [s for s in states if s.contract_id is not None]
    return sum(1 for s in listed if s.status == "endorsed"), len(listed)


# --- the supplier's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenQuery:
    figure: ContractFigure
    contract: Contract
    commissioner: Commissioner
    measure: Measure
    monitoring_return: MonitoringReturn
    queried_by: str | None

    @property
    def answered(self) -> bool:
        return self.figure.responded_at is not None


def queries_of(organisation: Organisation) -> list[OpenQuery]:
    """Figures of the organisation's contracts that a commissioner has queried, oldest query
    first: answered ones stay listed until the contract manager decides. One query."""
    querier = aliased(User)
    rows = db.session.execute(
        select(ContractFigure, Contract, Commissioner, Measure, MonitoringReturn, querier.full_name)
        .join(Contract, Contract.id == ContractFigure.contract_id)
        .join(Commissioner, Commissioner.id == Contract.commissioner_id)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .outerjoin(querier, querier.id == ContractFigure.queried_by_id)
        .where(
            Contract.organisation_id == organisation.id,
            ContractFigure.endorsement_status == FIGURE_QUERIED,
        )
        .order_by(ContractFigure.queried_at, ContractFigure.id)
    ).all()
    return [OpenQuery(*row) for row in rows]


def events_of(organisation: Organisation) -> list[ContractMonitoringEvent]:
    """The organisation's contract monitoring history, newest first."""
    return list(
        db.session.scalars(
            select(ContractMonitoringEvent)
            .where(ContractMonitoringEvent.organisation_id == organisation.id)
            .order_by(ContractMonitoringEvent.created_at.desc(), ContractMonitoringEvent.id.desc())
        )
    )


def contract_with_people(contract_id: int) -> Contract | None:
    """A contract with its commissioner and who confirmed or disputed it loaded."""
    return db.session.scalar(
        select(Contract)
        .options(
            joinedload(Contract.commissioner),
            joinedload(Contract.confirmed_by),
            joinedload(Contract.disputed_by),
        )
        .where(Contract.id == contract_id)
    )


def period_label(start: date, end: date) -> str:
    return format_period(start, end)


def total(rows: list[FigureRow]) -> Decimal:
    return sum((row.figure.value or Decimal(0) for row in rows), Decimal(0))
