"""Recording contracts won from public-sector commissioners, through HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Contract, ContractCommitment, Measure
from charter.services.domain.contracts import contract_summary, has_public_sector_contract
from tests.factories import (
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    sign_in,
    submit,
)


def contracts_url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/contracts{rest}"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _measure(scheme, code: str) -> Measure:
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )


@pytest.fixture
def signed(organisation):
    organisation.status = "signatory"
    organisation.route = "working_towards"
    db.session.commit()
    return organisation


@pytest.fixture
def council(app):
    return make_commissioner("Shropshire Council", org_id="GB-LAE-SHR")


def contract_data(chosen, /, **changes) -> dict:
    data = {
        "commissioner": str(chosen.id),
        "title": "Highways maintenance, north",
        "reference": "SC-2026-014",
        "value": "12,500.50",
        "start_date": ["1", "4", "2026"],
        "end_date": ["31", "3", "2028"],
    }
    data.update(changes)
    return data


def commitment_data(**changes) -> dict:
    data = {"measure": "LE1", "target_value": "50000", "notes": "Section 4 of the tender"}
    data.update(changes)
    return data


# --- the journey --------------------------------------------------------------------------


def test_a_member_records_a_contract_and_its_commitments(
    member_client, member, signed, council, scheme
):
    empty = member_client.get(contracts_url(signed)).get_data(as_text=True)
    assert "You have not recorded any contracts yet" in empty
    assert "at least one contract with a public-sector commissioner" in empty

    response = submit(member_client, contracts_url(signed, "/new"), contract_data(council))
    assert response.status_code == 302
    assert response.location.endswith(contracts_url(signed, "/new/check-your-answers"))
    assert _count(Contract) == 0, "nothing is saved before check your answers"

    check = member_client.get(contracts_url(signed, "/new/check-your-answers"))
    html = check.get_data(as_text=True)
    assert "Check the contract details" in html
    for text in ("Shropshire Council", "Highways maintenance, north", "SC-2026-014"):
        assert text in html
    assert "£12,500.50" in html and "1 April 2026" in html and "31 March 2028" in html

    # "Change" goes back to the form with the answers so far.
    form = member_client.get(contracts_url(signed, "/new")).get_data(as_text=True)
    assert 'value="Highways maintenance, north"' in form

    saved = submit(member_client, contracts_url(signed, "/new/check-your-answers"))
    assert saved.status_code == 302
    contract = db.session.scalar(select(Contract))
    assert saved.location.endswith(contracts_url(signed, f"/{contract.id}"))
    assert (contract.organisation_id, contract.commissioner_id) == (signed.id, council.id)
    assert contract.value == Decimal("12500.50")
    assert (contract.start_date, contract.end_date) == (date(2026, 4, 1), date(2028, 3, 31))
    assert contract.created_by_id == member.id
    assert member_client.get(contracts_url(signed, "/new/check-your-answers")).status_code == 302

    commitment_url = contracts_url(signed, f"/{contract.id}/commitments/new")
    page = member_client.get(commitment_url).get_data(as_text=True)
    assert "LE1: " in page and "(£)" in page
    assert submit(member_client, commitment_url, commitment_data()).status_code == 302
    response = submit(
        member_client, commitment_url, commitment_data(measure="LE8", target_value="25", notes="")
    )
    assert response.status_code == 302
    shown = member_client.get(contracts_url(signed, f"/{contract.id}")).get_data(as_text=True)
    assert "Commitment for LE8 added" in shown
    assert "£50,000" in shown and "25%" in shown and "Section 4 of the tender" in shown
    assert _count(ContractCommitment) == 2

    listing = member_client.get(contracts_url(signed)).get_data(as_text=True)
    assert "Highways maintenance, north" in listing
    assert listing.count("£12,500.50") == 3  # the row, the sentence and the total
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in listing
    assert has_public_sector_contract(signed)
    assert contract_summary(signed) == (1, Decimal("12500.50"))


def test_a_contract_can_be_changed(member_client, signed, council):
    contract = make_contract(signed, council, title="Old title", value="1000")
    other = make_commissioner("NHS Shropshire, Telford and Wrekin", org_id="GB-NHS-M2L0M")
    url = contracts_url(signed, f"/{contract.id}/edit")
    page = member_client.get(url).get_data(as_text=True)
    assert 'value="Old title"' in page

    response = submit(member_client, url, contract_data(other, title="New title", value="£125000"))
    assert response.status_code == 302
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert (contract.title, contract.commissioner_id) == ("New title", other.id)
    assert contract.value == Decimal("125000")


def test_a_commitment_can_be_removed(member_client, signed, council, scheme):
    contract = make_contract(signed, council)
    db.session.add(
        ContractCommitment(
            contract_id=contract.id, measure_id=_measure(scheme, "LE1").id, target_value=10
        )
    )
    db.session.commit()
    commitment = db.session.scalar(select(ContractCommitment))
    show = contracts_url(signed, f"/{contract.id}")
    response = submit(member_client, f"{show}/commitments/{commitment.id}/remove", form_url=show)
    assert response.status_code == 302
    assert _count(ContractCommitment) == 0


def test_a_contract_is_removed_after_confirmation(member_client, signed, council, scheme):
    contract = make_contract(signed, council, title="Short contract")
    db.session.add(
        ContractCommitment(
            contract_id=contract.id, measure_id=_measure(scheme, "LE1").id, target_value=10
        )
    )
    db.session.commit()
    url = contracts_url(signed, f"/{contract.id}/remove")
    page = member_client.get(url).get_data(as_text=True)
    assert "Remove ‘Short contract’?" in page and "its 1 commitment" in page
    assert _count(Contract) == 1

    response = submit(member_client, url)
    assert response.status_code == 302 and response.location.endswith(contracts_url(signed))
    assert _count(Contract) == 0 and _count(ContractCommitment) == 0
    assert not has_public_sector_contract(signed)
    assert contract_summary(signed) == (0, Decimal("0.00"))


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"commissioner": ""}, "Select the commissioner who awarded the contract"),
        ({"commissioner": "99999"}, "Select the commissioner who awarded the contract"),
        ({"title": "  "}, "Enter the contract title"),
        ({"value": ""}, "Enter the contract value"),
        ({"value": "lots"}, "Enter the contract value in pounds, like 125000"),
        ({"value": "12,50"}, "Enter the contract value in pounds, like 125000"),
        ({"value": "-500"}, "The contract value must be more than £0"),
        ({"value": "0"}, "The contract value must be more than £0"),
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
    assert _count(Contract) == 0


def test_an_invalid_change_is_refused_and_nothing_saved(member_client, signed, council):
    contract = make_contract(signed, council, title="Kept")
    response = submit(
        member_client,
        contracts_url(signed, f"/{contract.id}/edit"),
        contract_data(council, title="Changed", value="free"),
    )
    assert "Enter the contract value in pounds, like 125000" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).title == "Kept"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"measure": ""}, "Select a measure"),
        ({"measure": "NOPE"}, "Select a measure"),
        ({"target_value": "-1"}, "Target must be 0 or more"),
        ({"target_value": "many"}, "Enter the target as a number, like 250"),
        ({"target_value": ""}, "Enter the target you committed to"),
        ({"measure": "LE8", "target_value": "101"}, "Target must be 100 or less"),
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
    assert _count(ContractCommitment) == 0


def test_a_measure_already_committed_on_the_contract_is_refused(member_client, signed, council):
    contract = make_contract(signed, council)
    url = contracts_url(signed, f"/{contract.id}/commitments/new")
    assert submit(member_client, url, commitment_data()).status_code == 302
    response = submit(member_client, url, commitment_data(target_value="99"))
    assert response.status_code == 200
    assert "This contract already has a commitment for LE1" in response.get_data(as_text=True)
    assert _count(ContractCommitment) == 1
    # The same measure on another contract is fine.
    second = make_contract(signed, council)
    url = contracts_url(signed, f"/{second.id}/commitments/new")
    assert submit(member_client, url, commitment_data()).status_code == 302


@pytest.mark.parametrize("status", ["registered", "withdrawn", "lapsed"])
def test_an_organisation_that_has_not_signed_cannot_record_contracts(
    member_client, organisation, council, status
):
    organisation.status = status
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
    assert _count(Contract) == 0


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
    assert _count(Contract) == 1 and _count(ContractCommitment) == 0


def test_a_deactivated_commissioner_is_not_offered_and_is_refused(member_client, signed, council):
    retired = make_commissioner("Old Health Authority", is_active=False)
    form = member_client.get(contracts_url(signed, "/new")).get_data(as_text=True)
    assert "Shropshire Council" in form
    assert "Old Health Authority" not in form

    response = submit(member_client, contracts_url(signed, "/new"), contract_data(retired))
    assert "Select the commissioner who awarded the contract" in response.get_data(as_text=True)
    assert _count(Contract) == 0


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
    assert _count(Contract) == 0


def test_an_existing_contract_keeps_its_deactivated_commissioner(member_client, signed, council):
    contract = make_contract(signed, council, title="Kept contract")
    council.is_active = False
    db.session.commit()
    page = member_client.get(contracts_url(signed, f"/{contract.id}")).get_data(as_text=True)
    assert "Shropshire Council (no longer on the list)" in page
    url = contracts_url(signed, f"/{contract.id}/edit")
    assert "Shropshire Council" in member_client.get(url).get_data(as_text=True)
    response = submit(member_client, url, contract_data(council, title="Renamed"))
    assert response.status_code == 302


def test_with_no_commissioners_the_form_says_who_to_ask(member_client, signed):
    html = member_client.get(contracts_url(signed, "/new")).get_data(as_text=True)
    assert "Ask the scheme team to add the commissioner" in html


# --- who may see what ----------------------------------------------------------------------


@pytest.fixture
def other(scheme):
    """Organisation B with its own member."""
    owner = make_user(email="b-owner@example.com", full_name="Bea Owner")
    return make_organisation(owner=owner, scheme=scheme, name="Other Ltd", status="signatory")


def test_another_organisation_s_contracts_are_not_found(app, signed, council, other):
    contract = make_contract(signed, council)
    client = app.test_client()
    sign_in(client, "b-owner@example.com")
    for path in ("", "/new", f"/{contract.id}", f"/{contract.id}/edit", f"/{contract.id}/remove"):
        assert client.get(contracts_url(signed, path)).status_code == 404, path
    # A's contract id through B's own slug is not found either.
    for path in (f"/{contract.id}", f"/{contract.id}/edit", f"/{contract.id}/commitments/new"):
        assert client.get(contracts_url(other, path)).status_code == 404, path
    response = submit(
        client,
        contracts_url(other, f"/{contract.id}/remove"),
        form_url=contracts_url(other, "/new"),
    )
    assert response.status_code == 404
    assert _count(Contract) == 1


def test_a_commitment_of_another_contract_is_not_removed(member_client, signed, council, scheme):
    mine = make_contract(signed, council)
    owner = make_user(email="b-owner@example.com")
    theirs = make_contract(make_organisation(owner=owner, scheme=scheme), council)
    db.session.add(
        ContractCommitment(
            contract_id=theirs.id, measure_id=_measure(scheme, "LE1").id, target_value=1
        )
    )
    db.session.commit()
    commitment = db.session.scalar(select(ContractCommitment))
    show = contracts_url(signed, f"/{mine.id}")
    response = submit(member_client, f"{show}/commitments/{commitment.id}/remove", form_url=show)
    assert response.status_code == 404
    assert _count(ContractCommitment) == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, signed, council):
    contract = make_contract(signed, council)
    for path in ("", "/new", f"/{contract.id}", f"/{contract.id}/commitments/new"):
        response = client.get(contracts_url(signed, path))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in?next=")


def test_scheme_staff_may_view_but_not_change(assessor_client, admin_client, signed, council):
    contract = make_contract(signed, council, title="Visible contract")
    for client in (assessor_client, admin_client):
        listing = client.get(contracts_url(signed)).get_data(as_text=True)
        assert "Visible contract" in listing and "Add a contract" not in listing
        shown = client.get(contracts_url(signed, f"/{contract.id}")).get_data(as_text=True)
        assert "Visible contract" in shown and "Add a commitment" not in shown
        assert client.get(contracts_url(signed, "/new")).status_code == 404
        assert client.get(contracts_url(signed, f"/{contract.id}/edit")).status_code == 404


def test_the_dashboard_links_to_contracts_with_the_number_recorded(member_client, signed, council):
    dashboard = f"/organisations/{signed.slug}"
    html = member_client.get(dashboard).get_data(as_text=True)
    assert f'href="{contracts_url(signed)}"' in html
    make_contract(signed, council)
    make_contract(signed, council)
    assert "2 recorded" in member_client.get(dashboard).get_data(as_text=True)


def test_the_list_query_count_does_not_grow_with_the_contracts(
    member_client, signed, council, scheme, query_counter
):
    def add_contracts(n):
        for _ in range(n):
            contract = make_contract(signed, council)
            db.session.add(
                ContractCommitment(
                    contract_id=contract.id, measure_id=_measure(scheme, "LE1").id, target_value=1
                )
            )
        db.session.commit()

    add_contracts(2)
    with query_counter() as few:
        assert member_client.get(contracts_url(signed)).status_code == 200
    add_contracts(8)
    with query_counter() as many:
        html = member_client.get(contracts_url(signed)).get_data(as_text=True)
    assert "10 contracts" in html and "£100,000" in html
    assert many.value == few.value
