"""Contract and commitment answers that are refused, with nothing saved, and the organisations
and commissioners the contract pages turn away."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.models import Contract, ContractCommitment
from tests.factories import make_commissioner, make_contract, set_stage, submit
from tests.organisation.contract_helpers import (
    change_data,
    commitment_data,
    contract_data,
    contracts_url,
    row_count,
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"commissioner": ""}, "Select the commissioner who awarded the contract"),
        ({"commissioner": "99999"}, "Select the commissioner who awarded the contract"),
        ({"title": "  "}, "Enter the contract title"),
        ({"value": ""}, "Enter the contract value"),
        ({"value": "lots"}, "Enter the contract value in pounds, like 125000"),
        ({"value": "12,50"}, "Enter the contract value in pounds, like 125000"),
        ({"value": "-500"}, "The contract value must be £1 or more"),
        ({"value": "0"}, "The contract value must be £1 or more"),
        ({"value": "10.555"}, "The contract value can only include pounds and pence"),
        ({"end_date": ["1", "4", "2026"]}, "The end date must be after the start date"),
        ({"end_date": ["1", "1", "2025"]}, "The end date must be after the start date"),
        ({"start_date": ["31", "2", "2026"]}, "The start date must be a real date"),
        ({"start_date": ["1", "", "2026"]}, "The start date must include a day, month and year"),
        ({"end_date": ["", "", ""]}, "Enter the end date"),
        ({"start_date": ["a", "b", "c"]}, "The start date must be a real date"),
    ],
)
def test_invalid_contracts_are_refused_and_nothing_saved(
    member_client, signed, council, changes, message
):
    response = submit(
        member_client, contracts_url(signed, "/new"), contract_data(council, **changes)
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "<title>Error: " in html
    check = member_client.get(contracts_url(signed, "/new/check-your-answers"))
    assert check.status_code == 302, "no answers were kept"
    assert row_count(Contract) == 0


def test_an_invalid_change_is_refused_and_nothing_saved(member_client, signed, council):
    contract = make_contract(signed, council, title="Kept")
    response = submit(
        member_client,
        contracts_url(signed, f"/{contract.id}/edit"),
        change_data(contract, council, title="Changed", value="free"),
    )
    assert "Enter the contract value in pounds, like 125000" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).title == "Kept"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"measure": ""}, "Select a measure"),
        ({"measure": "NOPE"}, "Select a measure"),
        ({"target_value": "-1"}, "The target must be 0 or more"),
        ({"target_value": "many"}, "Enter the target as an amount in pounds, like 1,250.50"),
        ({"target_value": ""}, "Enter the target you committed to"),
        ({"measure": "LE8", "target_value": "101"}, "The target must be 100% or less"),
    ],
)
def test_invalid_commitments_are_refused_and_nothing_saved(
    member_client, signed, council, changes, message
):
    contract = make_contract(signed, council)
    response = submit(
        member_client,
        contracts_url(signed, f"/{contract.id}/commitments/new"),
        commitment_data(**changes),
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert row_count(ContractCommitment) == 0


def test_a_measure_already_committed_on_the_contract_is_refused(member_client, signed, council):
    contract = make_contract(signed, council)
    url = contracts_url(signed, f"/{contract.id}/commitments/new")
    assert submit(member_client, url, commitment_data()).status_code == 302
    response = submit(member_client, url, commitment_data(target_value="99"))
    assert response.status_code == 200
    assert "This contract already has a commitment for LE1" in response.get_data(as_text=True)
    assert row_count(ContractCommitment) == 1
    # The same measure on another contract is fine.
    second = make_contract(signed, council)
    url = contracts_url(signed, f"/{second.id}/commitments/new")
    assert submit(member_client, url, commitment_data()).status_code == 302


@pytest.mark.parametrize("status", ["registered", "withdrawn", "lapsed"])
def test_an_organisation_that_has_not_signed_cannot_record_contracts(
    member_client, organisation, council, status
):
    set_stage(organisation, status)
    db.session.commit()
    listing = member_client.get(contracts_url(organisation)).get_data(as_text=True)
    assert "You can record contracts once your organisation has signed the charter" in listing
    assert "Add a contract" not in listing

    refused = member_client.get(contracts_url(organisation, "/new"))
    assert refused.status_code == 409
    assert "once your organisation has signed the charter" in refused.get_data(as_text=True)
    # A crafted POST (with a valid token from another page) is refused the same way.
    response = submit(
        member_client,
        contracts_url(organisation, "/new"),
        contract_data(council),
        form_url=f"/organisations/{organisation.slug}/members/invite",
    )
    assert response.status_code == 409
    assert row_count(Contract) == 0


def test_a_suspended_signatory_keeps_its_contract_pages(member_client, organisation, council):
    organisation.status = "suspended"
    organisation.status_before_suspension = "monitoring"
    db.session.commit()
    assert member_client.get(contracts_url(organisation, "/new")).status_code == 200


def test_a_post_without_the_csrf_token_is_refused(member_client, signed, council):
    response = member_client.post(contracts_url(signed, "/new"), data=contract_data(council))
    assert response.status_code == 400
    contract = make_contract(signed, council)
    response = member_client.post(
        contracts_url(signed, f"/{contract.id}/commitments/new"), data=commitment_data()
    )
    assert response.status_code == 400
    response = member_client.post(contracts_url(signed, f"/{contract.id}/remove"))
    assert response.status_code == 400
    assert row_count(Contract) == 1 and row_count(ContractCommitment) == 0


def test_a_deactivated_commissioner_is_not_offered_and_is_refused(member_client, signed, council):
    retired = make_commissioner("Old Health Authority", is_active=False)
    form = member_client.get(contracts_url(signed, "/new")).get_data(as_text=True)
    assert "Shropshire Council" in form
    assert "Old Health Authority" not in form

    response = submit(member_client, contracts_url(signed, "/new"), contract_data(retired))
    assert "Select the commissioner who awarded the contract" in response.get_data(as_text=True)
    assert row_count(Contract) == 0


def test_answers_are_checked_again_if_the_commissioner_is_deactivated_meanwhile(
    member_client, signed, council
):
    submit(member_client, contracts_url(signed, "/new"), contract_data(council))
    council.is_active = False
    db.session.commit()
    response = submit(
        member_client,
        contracts_url(signed, "/new/check-your-answers"),
        form_url=contracts_url(signed),
    )
    assert response.status_code == 200
    assert "Select the commissioner who awarded the contract" in response.get_data(as_text=True)
    assert row_count(Contract) == 0


def test_an_existing_contract_keeps_its_deactivated_commissioner(member_client, signed, council):
    contract = make_contract(signed, council, title="Kept contract")
    council.is_active = False
    db.session.commit()
    page = member_client.get(contracts_url(signed, f"/{contract.id}")).get_data(as_text=True)
    assert "Shropshire Council (no longer on the list)" in page
    url = contracts_url(signed, f"/{contract.id}/edit")
    assert "Shropshire Council" in member_client.get(url).get_data(as_text=True)
    response = submit(member_client, url, change_data(contract, council, title="Renamed"))
    assert response.status_code == 302


def test_with_no_commissioners_the_form_says_who_to_ask(member_client, signed):
    html = member_client.get(contracts_url(signed, "/new")).get_data(as_text=True)
    assert "Ask the scheme team to add the commissioner" in html
