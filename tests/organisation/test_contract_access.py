"""Who may see and change an organisation's contracts: another organisation finds nothing,
visitors are sent to sign in, scheme staff may look but not change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Contract, ContractCommitment
from tests.factories import make_contract, make_organisation, make_user, sign_in, submit
from tests.organisation.contract_helpers import add_commitment, contracts_url, row_count


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
    assert row_count(Contract) == 1


def test_a_commitment_of_another_contract_is_not_removed(member_client, signed, council, scheme):
    mine = make_contract(signed, council)
    owner = make_user(email="b-owner@example.com")
    theirs = make_contract(make_organisation(owner=owner, scheme=scheme), council)
    add_commitment(theirs, scheme)
    db.session.commit()
    commitment = db.session.scalar(select(ContractCommitment))
    show = contracts_url(signed, f"/{mine.id}")
    response = submit(member_client, f"{show}/commitments/{commitment.id}/remove", form_url=show)
    assert response.status_code == 404
    assert row_count(ContractCommitment) == 1


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
