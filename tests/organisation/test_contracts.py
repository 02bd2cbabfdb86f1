"""Recording contracts won from public-sector commissioners, through HTTP: adding, changing and
removing contracts and their commitments, and the list's links and query count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import Contract, ContractCommitment
from charter.services.domain.contracts import contract_summary, has_public_sector_contract
from tests.factories import make_commissioner, make_contract, submit
from tests.organisation.contract_helpers import (
    add_commitment,
    change_data,
    commitment_data,
    contract_data,
    contracts_url,
    row_count,
)


def test_a_member_records_a_contract_and_its_commitments(
    member_client, member, signed, council, scheme
):
    empty = member_client.get(contracts_url(signed)).get_data(as_text=True)
    assert "You have not recorded any contracts yet" in empty
    assert "at least one contract with a public-sector commissioner" in empty

    response = submit(member_client, contracts_url(signed, "/new"), contract_data(council))
    assert response.status_code == 302
    assert response.location.endswith(contracts_url(signed, "/new/check-your-answers"))
    assert row_count(Contract) == 0, "nothing is saved before check your answers"

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
    assert row_count(ContractCommitment) == 2

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

    response = submit(
        member_client, url, change_data(contract, other, title="New title", value="£125000")
    )
    assert response.status_code == 302
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert (contract.title, contract.commissioner_id) == ("New title", other.id)
    assert contract.value == Decimal("125000")


def test_a_commitment_can_be_removed(member_client, signed, council, scheme):
    contract = make_contract(signed, council)
    add_commitment(contract, scheme, 10)
    db.session.commit()
    commitment = db.session.scalar(select(ContractCommitment))
    show = contracts_url(signed, f"/{contract.id}")
    response = submit(member_client, f"{show}/commitments/{commitment.id}/remove", form_url=show)
    assert response.status_code == 302
    assert row_count(ContractCommitment) == 0


def test_a_contract_is_removed_after_confirmation(member_client, signed, council, scheme):
    contract = make_contract(signed, council, title="Short contract")
    add_commitment(contract, scheme, 10)
    db.session.commit()
    url = contracts_url(signed, f"/{contract.id}/remove")
    page = member_client.get(url).get_data(as_text=True)
    assert "Remove ‘Short contract’?" in page and "its 1 commitment" in page
    assert row_count(Contract) == 1

    response = submit(member_client, url)
    assert response.status_code == 302 and response.location.endswith(contracts_url(signed))
    assert row_count(Contract) == 0 and row_count(ContractCommitment) == 0
    assert not has_public_sector_contract(signed)
    assert contract_summary(signed) == (0, Decimal("0.00"))


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
            add_commitment(contract, scheme)
        db.session.commit()

    add_contracts(2)
    with query_counter() as few:
        assert member_client.get(contracts_url(signed)).status_code == 200
    add_contracts(8)
    with query_counter() as many:
        html = member_client.get(contracts_url(signed)).get_data(as_text=True)
    assert "10 contracts" in html and "£100,000" in html
    assert many.value == few.value
