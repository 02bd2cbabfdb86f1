"""Notices about a contract's social value after award (issue 21): an alternative commitment
proposed (to the commissioner's contract managers), accepted or refused, and a service credit
recorded (to the supplier's members). Signed, as every email, by the charter acting and its
running body (templates/emails/_sign_off.txt)."""

from __future__ import annotations

from charter.services.notices.contracts import _email_managers, _manager_link, _supplier_link
from charter.services.notices.outbox import email_members


def alternative_proposed(contract, organisation, alternative) -> None:
    _email_managers(
        contract.commissioner_id,
        f"{organisation.name} proposed an alternative commitment on ‘{contract.title}’",
        "contract-alternative-proposed",
        contract=contract,
        organisation=organisation,
        alternative=alternative,
        link=_manager_link(contract),
    )


def alternative_decided(contract, organisation, alternative, manager) -> None:
    accepted = alternative.status == "accepted"
    email_members(
        organisation,
        f"{contract.commissioner.name} {'accepted' if accepted else 'refused'} your alternative "
        f"commitment on ‘{contract.title}’",
        "contract-alternative-decided",
        contract=contract,
        alternative=alternative,
        accepted=accepted,
        manager=manager,
        link=_supplier_link(organisation, contract),
    )


def credit_recorded(contract, organisation, credit, manager) -> None:
    email_members(
        organisation,
        f"{contract.commissioner.name} applied a service credit to ‘{contract.title}’",
        "contract-service-credit",
        contract=contract,
        credit=credit,
        manager=manager,
        link=_supplier_link(organisation, contract),
    )
