"""What a commissioner's contract manager does to a supplier's contracts: confirm or dispute
one; a supplier's edit sends it back. The audit and email helpers are shared with
:mod:`charter.services.domain.figure_endorsement` (endorse, query, answer).

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

from charter.extensions import db
from charter.models import (
    Contract,
    ContractMonitoringEvent,
    Organisation,
    User,
)
from charter.models.base import utcnow
from charter.models.contract import CONTRACT_CONFIRMED, CONTRACT_DISPUTED, CONTRACT_UNCONFIRMED
from charter.services import notices
from charter.services.domain.refusals import Refused
from charter.services.domain.versions import check_version


class MonitoringRefused(Refused):
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


def organisation_of(contract: Contract) -> Organisation:
    return db.session.get(Organisation, contract.organisation_id)


# --- contracts ------------------------------------------------------------------------------


def confirm_contract(contract: Contract, manager: User, version: int | None) -> None:
    check_version(contract, version)
    if contract.confirmation_status == CONTRACT_CONFIRMED:
        raise MonitoringRefused("This contract is already confirmed")
    now = utcnow()
    contract.confirmation_status = CONTRACT_CONFIRMED
    contract.confirmed_by_id = manager.id
    contract.confirmed_at = now
    organisation = organisation_of(contract)
    record(
        organisation.id,
        contract.commissioner_id,
        "contract_confirmed",
        manager,
        contract_subject(contract),
        contract_id=contract.id,
    )
    notices.contracts.confirmed(organisation, contract, manager)


def dispute_contract(contract: Contract, manager: User, reason: str, version: int | None) -> None:
    check_version(contract, version)
    reason = reason.strip()
    if not reason:
        raise MonitoringRefused("Enter what is wrong with the contract")
    contract.confirmation_status = CONTRACT_DISPUTED
    contract.dispute_reason = reason
    contract.disputed_by_id = manager.id
    contract.disputed_at = utcnow()
    contract.confirmed_by_id = None
    contract.confirmed_at = None
    organisation = organisation_of(contract)
    record(
        organisation.id,
        contract.commissioner_id,
        "contract_disputed",
        manager,
        contract_subject(contract),
        detail=reason,
        contract_id=contract.id,
    )
    notices.contracts.disputed(organisation, contract, manager, reason)


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
    notices.contracts.back_for_confirmation(
        contract, organisation_of(contract), corrected=action == "contract_corrected"
    )
    return action
