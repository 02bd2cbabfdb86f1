"""Per-contract figures: a contract manager endorses a period's figures or queries one, the
supplier answers; a changed figure waits again. Audited and emailed like everything else a
contract manager does (helpers in :mod:`charter.services.domain.contract_monitoring`).

Silence is not a refusal: a figure no one has looked at stays "not endorsed".
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.formatting import format_period
from charter.models import (
    Contract,
    ContractFigure,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.base import utcnow
from charter.models.monitoring import (
    FIGURE_ENDORSED,
    FIGURE_NOT_ENDORSED,
    FIGURE_QUERIED,
    RETURN_DRAFT,
)
from charter.services import notices
from charter.services.domain.contract_monitoring import (
    MonitoringRefused,
    contract_subject,
    organisation_of,
    record,
)


def figure_changed(figure: ContractFigure) -> None:
    """For the returns service: a supplier changed a figure's value, so the commissioner's
    endorsement no longer holds and it waits again. A query stays, with its answer."""
    if figure.endorsement_status == FIGURE_ENDORSED:
        figure.endorsement_status = FIGURE_NOT_ENDORSED
        figure.endorsed_by_id = None
        figure.endorsed_at = None


def _sent_figures(contract: Contract, return_id: int | None = None):
    query = (
        select(ContractFigure)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(ContractFigure.contract_id == contract.id, MonitoringReturn.status != RETURN_DRAFT)
    )
    if return_id is not None:
        query = query.where(MonitoringReturn.id == return_id)
    return query


def period_return(contract: Contract, return_id: int) -> MonitoringReturn | None:
    """The organisation's sent return ``return_id``, if it holds figures for ``contract``."""
    return db.session.scalar(
        select(MonitoringReturn).where(
            MonitoringReturn.id == return_id,
            MonitoringReturn.organisation_id == contract.organisation_id,
            MonitoringReturn.status != RETURN_DRAFT,
        )
    )


def endorse_period(contract: Contract, monitoring_return: MonitoringReturn, manager: User) -> int:
    """Endorse every figure of ``contract`` in the period not endorsed yet; how many."""
    figures = list(
        db.session.scalars(
            _sent_figures(contract, monitoring_return.id).where(
                ContractFigure.endorsement_status != FIGURE_ENDORSED
            )
        )
    )
    if not figures:
        raise MonitoringRefused("There are no figures to endorse for this period")
    now = utcnow()
    for figure in figures:
        figure.endorsement_status = FIGURE_ENDORSED
        figure.endorsed_by_id = manager.id
        figure.endorsed_at = now
    organisation = organisation_of(contract)
    period = _period_text(monitoring_return)
    record(
        organisation.id,
        contract.commissioner_id,
        "figures_endorsed",
        manager,
        f"{contract_subject(contract)}, {period}",
        detail=f"{len(figures)} figure{'s' if len(figures) != 1 else ''} endorsed",
        contract_id=contract.id,
        return_id=monitoring_return.id,
    )
    notices.contracts.figures_endorsed(organisation, contract, manager, period, len(figures))
    return len(figures)


def _period_text(monitoring_return: MonitoringReturn) -> str:
    return format_period(monitoring_return.period_start, monitoring_return.period_end)


def figure_of(contract: Contract, figure_id: int):
    """(figure, its line with the measure, its return) for a sent figure of ``contract``."""
    row = db.session.execute(
        select(ContractFigure, ReturnLine, MonitoringReturn)
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .options(joinedload(ReturnLine.measure))
        .where(
            ContractFigure.id == figure_id,
            ContractFigure.contract_id == contract.id,
            MonitoringReturn.status != RETURN_DRAFT,
        )
    ).one_or_none()
    return tuple(row) if row is not None else None


def query_figure(
    contract: Contract,
    figure: ContractFigure,
    line: ReturnLine,
    monitoring_return: MonitoringReturn,
    manager: User,
    comment: str,
) -> None:
    comment = comment.strip()
    if not comment:
        raise MonitoringRefused("Enter your question about this figure")
    figure.endorsement_status = FIGURE_QUERIED
    figure.query_comment = comment
    figure.queried_by_id = manager.id
    figure.queried_at = utcnow()
    figure.endorsed_by_id = None
    figure.endorsed_at = None
    figure.supplier_response = None
    figure.responded_at = None
    organisation = organisation_of(contract)
    period = _period_text(monitoring_return)
    record(
        organisation.id,
        contract.commissioner_id,
        "figure_queried",
        manager,
        f"{line.measure.code} {line.measure.title}, {contract_subject(contract)}, {period}",
        detail=comment,
        contract_id=contract.id,
        figure_id=figure.id,
        return_id=monitoring_return.id,
    )
    notices.contracts.figure_queried(
        organisation, contract, manager, line.measure, figure, period, comment
    )


def answer_query(
    organisation: Organisation,
    contract: Contract,
    figure: ContractFigure,
    line: ReturnLine,
    monitoring_return: MonitoringReturn,
    user: User,
    response: str,
) -> None:
    """The supplier's answer; the figure stays queried and goes back to the contract manager."""
    if figure.endorsement_status != FIGURE_QUERIED:
        raise MonitoringRefused("This figure is not queried, so there is nothing to answer")
    response = response.strip()
    if not response:
        raise MonitoringRefused("Enter your answer to the commissioner's question")
    figure.supplier_response = response
    figure.responded_at = utcnow()
    period = _period_text(monitoring_return)
    record(
        organisation.id,
        contract.commissioner_id,
        "figure_query_answered",
        user,
        f"{line.measure.code} {line.measure.title}, {contract_subject(contract)}, {period}",
        detail=response,
        contract_id=contract.id,
        figure_id=figure.id,
        return_id=monitoring_return.id,
    )
    notices.contracts.query_answered(organisation, contract, line.measure, period, response, user)
