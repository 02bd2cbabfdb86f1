"""What a commissioner's contract manager does to a supplier's records, and the supplier's
answers: confirm or dispute a contract, endorse a period's figures or query one, answer a query.

Every action writes a :class:`ContractMonitoringEvent` and emails the organisation's members
through the outbox, in the caller's transaction. Functions never commit. Who may act (the
commissioner's managers, never a member of the organisation) is checked by the caller with
:mod:`charter.commissioner.access`; these functions check only the state of the records.

Silence is not a refusal: a figure no one has looked at stays "not endorsed".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import (
    Commissioner,
    Contract,
    ContractFigure,
    ContractManager,
    ContractMonitoringEvent,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    User,
)
from charter.models.base import utcnow
from charter.models.contract import CONTRACT_CONFIRMED, CONTRACT_DISPUTED, CONTRACT_UNCONFIRMED
from charter.models.monitoring import (
    FIGURE_ENDORSED,
    FIGURE_NOT_ENDORSED,
    FIGURE_QUERIED,
    RETURN_DRAFT,
)
from charter.services.infrastructure.mail import email_members, queue_email


class ContractChanged(StaleDataError):
    """The contract changed since the page was loaded (shown as the 409 conflict page)."""

    page_message = (
        "The contract changed while you were looking at it: the supplier edited it, or a "
        "contract manager confirmed or disputed it. Nothing you sent was saved. Open the "
        "contract again to see the latest details."
    )


class MonitoringRefused(ValueError):
    """An action the records' state does not allow; the message says why."""


def contract_subject(contract: Contract) -> str:
    return f"{contract.title} ({contract.reference})" if contract.reference else contract.title


def record(
    organisation_id: int,
    commissioner_id: int,
    action: str,
    actor: User | None,
    subject: str,
    *,
    detail: str | None = None,
    contract_id: int | None = None,
    figure_id: int | None = None,
    return_id: int | None = None,
    actor_label: str | None = None,
) -> ContractMonitoringEvent:
    event = ContractMonitoringEvent(
        organisation_id=organisation_id,
        commissioner_id=commissioner_id,
        contract_id=contract_id,
        contract_figure_id=figure_id,
        return_id=return_id,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.full_name if actor is not None else "System"),
        action=action,
        subject=subject[:400],
        detail=detail or None,
    )
    db.session.add(event)
    return event


def _organisation(contract: Contract) -> Organisation:
    return db.session.get(Organisation, contract.organisation_id)


def _contract_link(organisation: Organisation, contract: Contract) -> str:
    return url_for(
        "organisation.show_contract",
        slug=organisation.slug,
        contract_id=contract.id,
        _external=True,
    )


def check_version(contract: Contract, expected_version: int | None) -> None:
    """Refuse (409) when the page the person acted on showed an older version."""
    if expected_version is not None and expected_version != contract.version_id:
        raise ContractChanged("The contract changed since the page was loaded")


# --- contracts ------------------------------------------------------------------------------


def confirm_contract(contract: Contract, manager: User, expected_version: int | None) -> None:
    check_version(contract, expected_version)
    if contract.confirmation_status == CONTRACT_CONFIRMED:
        raise MonitoringRefused("This contract is already confirmed")
    now = utcnow()
    contract.confirmation_status = CONTRACT_CONFIRMED
    contract.confirmed_by_id = manager.id
    contract.confirmed_at = now
    organisation = _organisation(contract)
    record(
        organisation.id,
        contract.commissioner_id,
        "contract_confirmed",
        manager,
        contract_subject(contract),
        contract_id=contract.id,
    )
    email_members(
        organisation,
        f"{contract.commissioner.name} confirmed your contract ‘{contract.title}’",
        "contract-confirmed",
        contract=contract,
        manager=manager,
        link=_contract_link(organisation, contract),
    )


def dispute_contract(
    contract: Contract, manager: User, reason: str, expected_version: int | None
) -> None:
    check_version(contract, expected_version)
    reason = reason.strip()
    if not reason:
        raise MonitoringRefused("Enter what is wrong with the contract")
    contract.confirmation_status = CONTRACT_DISPUTED
    contract.dispute_reason = reason
    contract.disputed_by_id = manager.id
    contract.disputed_at = utcnow()
    contract.confirmed_by_id = None
    contract.confirmed_at = None
    organisation = _organisation(contract)
    record(
        organisation.id,
        contract.commissioner_id,
        "contract_disputed",
        manager,
        contract_subject(contract),
        detail=reason,
        contract_id=contract.id,
    )
    email_members(
        organisation,
        f"{contract.commissioner.name} disputed your contract ‘{contract.title}’",
        "contract-disputed",
        contract=contract,
        manager=manager,
        reason=reason,
        link=_contract_link(organisation, contract),
    )


@dataclass(frozen=True)
class ContractTerms:
    commissioner_id: int
    reference: str | None
    value: Decimal
    start_date: date
    end_date: date


def terms_of(contract: Contract) -> ContractTerms:
    return ContractTerms(
        contract.commissioner_id,
        contract.reference,
        Decimal(contract.value),
        contract.start_date,
        contract.end_date,
    )


def after_supplier_edit(contract: Contract, before: ContractTerms, user: User) -> str | None:
    """Called by the contracts service after a supplier's edit: a disputed contract goes back
    to the commissioner; a confirmed one whose confirmed terms changed does too. Returns the
    action recorded, if any."""
    changed = terms_of(contract) != before
    if contract.confirmation_status == CONTRACT_DISPUTED:
        action = "contract_corrected"
    elif contract.confirmation_status == CONTRACT_CONFIRMED and changed:
        action = "contract_changed"
    else:
        return None
    contract.confirmation_status = CONTRACT_UNCONFIRMED
    contract.confirmed_by_id = None
    contract.confirmed_at = None
    record(
        contract.organisation_id,
        contract.commissioner_id,
        action,
        user,
        contract_subject(contract),
        detail=contract.dispute_reason if action == "contract_corrected" else None,
        contract_id=contract.id,
    )
    _email_managers(
        contract.commissioner_id,
        f"A contract is waiting for your confirmation: ‘{contract.title}’",
        "contract-back-for-confirmation",
        contract=contract,
        organisation=_organisation(contract),
        corrected=action == "contract_corrected",
        link=url_for("commissioner.show_contract", contract_id=contract.id, _external=True),
    )
    return action


def _email_managers(commissioner_id: int, subject: str, template: str, **context) -> None:
    managers = db.session.scalars(
        select(User)
        .join(ContractManager, ContractManager.user_id == User.id)
        .where(
            ContractManager.commissioner_id == commissioner_id,
            ContractManager.removed_at.is_(None),
        )
        .order_by(User.id)
    )
    for manager in managers:
        queue_email(manager.email, subject, template, recipient=manager, **context)


def contract_recorded(contract: Contract, organisation: Organisation) -> None:
    """Tell the commissioner's contract managers a supplier has recorded a contract with them
    (the contract has an id: call after a flush)."""
    _email_managers(
        contract.commissioner_id,
        f"{organisation.name} recorded a contract with you: ‘{contract.title}’",
        "contract-recorded",
        contract=contract,
        commissioner=db.session.get(Commissioner, contract.commissioner_id),
        organisation=organisation,
        link=url_for("commissioner.show_contract", contract_id=contract.id, _external=True),
    )


# --- figures --------------------------------------------------------------------------------


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
    organisation = _organisation(contract)
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
    email_members(
        organisation,
        f"{contract.commissioner.name} endorsed your figures for ‘{contract.title}’",
        "contract-figures-endorsed",
        contract=contract,
        manager=manager,
        period=period,
        count=len(figures),
        link=_contract_link(organisation, contract),
    )
    return len(figures)


def _period_text(monitoring_return: MonitoringReturn) -> str:
    start, end = monitoring_return.period_start, monitoring_return.period_end
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


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
    organisation = _organisation(contract)
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
    email_members(
        organisation,
        f"{contract.commissioner.name} has a question about a figure for ‘{contract.title}’",
        "contract-figure-queried",
        contract=contract,
        manager=manager,
        measure=line.measure,
        figure=figure,
        period=period,
        comment=comment,
        link=url_for(
            "organisation.answer_figure_query",
            slug=organisation.slug,
            figure_id=figure.id,
            _external=True,
        ),
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
    email_members(
        organisation,
        f"Your answer about ‘{contract.title}’ was sent to {contract.commissioner.name}",
        "contract-figure-answered",
        contract=contract,
        measure=line.measure,
        period=period,
        response=response,
        answered_by=user,
        link=_contract_link(organisation, contract),
    )
    _email_managers(
        contract.commissioner_id,
        f"{organisation.name} answered your question about ‘{contract.title}’",
        "contract-figure-answered-manager",
        contract=contract,
        organisation=organisation,
        measure=line.measure,
        period=period,
        response=response,
        link=url_for("commissioner.show_contract", contract_id=contract.id, _external=True),
    )


FIGURE_STATES = (FIGURE_NOT_ENDORSED, FIGURE_ENDORSED, FIGURE_QUERIED)
