"""Notices about contracts between suppliers and commissioners: to the supplier's members, and
to the commissioner's contract managers (whom a commissioner invites)."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import Commissioner, ContractManager, User
from charter.services.notices.links import link
from charter.services.notices.outbox import email_members, queue_email


def _supplier_link(organisation, contract) -> str:
    return link("organisation.show_contract", slug=organisation.slug, contract_id=contract.id)


def _manager_link(contract) -> str:
    return link("commissioner.show_contract", contract_id=contract.id)


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


# --- to contract managers ---------------------------------------------------------------------


def manager_invited(commissioner, email: str, invited_by, token: str, *, valid_days: int) -> None:
    queue_email(
        email,
        f"You have been invited to confirm contracts for {commissioner.name}",
        "contract-manager-invitation",
        commissioner=commissioner,
        invited_by=invited_by,
        link=link("commissioner.accept_invitation", token=token),
        create_account_link=link("auth.create_account"),
        valid_days=valid_days,
    )


def recorded(contract, organisation) -> None:
    """A supplier has recorded a contract with the commissioner (call after a flush)."""
    _email_managers(
        contract.commissioner_id,
        f"{organisation.name} recorded a contract with you: ‘{contract.title}’",
        "contract-recorded",
        contract=contract,
        commissioner=db.session.get(Commissioner, contract.commissioner_id),
        organisation=organisation,
        link=_manager_link(contract),
    )


def back_for_confirmation(contract, organisation, *, corrected: bool) -> None:
    _email_managers(
        contract.commissioner_id,
        f"A contract is waiting for your confirmation: ‘{contract.title}’",
        "contract-back-for-confirmation",
        contract=contract,
        organisation=organisation,
        corrected=corrected,
        link=_manager_link(contract),
    )


def _answer_to_managers(contract, organisation, measure, period: str, response: str):
    _email_managers(
        contract.commissioner_id,
        f"{organisation.name} answered your question about ‘{contract.title}’",
        "contract-figure-answered-manager",
        contract=contract,
        organisation=organisation,
        measure=measure,
        period=period,
        response=response,
        link=_manager_link(contract),
    )


# --- to the supplier's members ----------------------------------------------------------------


def confirmed(organisation, contract, manager) -> None:
    email_members(
        organisation,
        f"{contract.commissioner.name} confirmed your contract ‘{contract.title}’",
        "contract-confirmed",
        contract=contract,
        manager=manager,
        link=_supplier_link(organisation, contract),
    )


def disputed(organisation, contract, manager, reason: str) -> None:
    email_members(
        organisation,
        f"{contract.commissioner.name} disputed your contract ‘{contract.title}’",
        "contract-disputed",
        contract=contract,
        manager=manager,
        reason=reason,
        link=_supplier_link(organisation, contract),
    )


def figures_endorsed(organisation, contract, manager, period: str, count: int) -> None:
    email_members(
        organisation,
        f"{contract.commissioner.name} endorsed your figures for ‘{contract.title}’",
        "contract-figures-endorsed",
        contract=contract,
        manager=manager,
        period=period,
        count=count,
        link=_supplier_link(organisation, contract),
    )


def figure_queried(organisation, contract, manager, measure, figure, period, comment) -> None:
    email_members(
        organisation,
        f"{contract.commissioner.name} has a question about a figure for ‘{contract.title}’",
        "contract-figure-queried",
        contract=contract,
        manager=manager,
        measure=measure,
        figure=figure,
        period=period,
        comment=comment,
        link=link("organisation.answer_figure_query", slug=organisation.slug, figure_id=figure.id),
    )


def query_answered(organisation, contract, measure, period: str, response: str, by) -> None:
    """To the supplier's members (a copy of their answer) and to the contract managers."""
    email_members(
        organisation,
        f"Your answer about ‘{contract.title}’ was sent to {contract.commissioner.name}",
        "contract-figure-answered",
        contract=contract,
        measure=measure,
        period=period,
        response=response,
        answered_by=by,
        link=_supplier_link(organisation, contract),
    )
    _answer_to_managers(contract, organisation, measure, period, response)
