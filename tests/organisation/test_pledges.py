"""Pledges chosen at tender (issue 21), through HTTP, on Worcestershire's real toolkit: a
contract with a commissioner taking part in the charter takes pledges with the supplier's
numbers and a reporting frequency from the measure's; the contract shows the pledge with its
number filled in, and the indicator it reports. Bad numbers and frequencies are refused with a
message and change nothing; a contract of a commissioner not taking part takes no pledges."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Contract, ContractCommitment, Measure
from tests.factories import make_commissioner, make_contract, make_user, sign_in, submit
from tests.organisation.contract_helpers import contract_data, row_count
from tests.organisation.pledge_helpers import (
    load_worcestershire,
    worcestershire_council,
    worcestershire_supplier,
)
from tests.organisation.pledge_helpers import url as org_url


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


@pytest.fixture
def supplier(client, worcestershire):
    owner = make_user(email="owner@supplier.example")
    organisation = worcestershire_supplier(owner, worcestershire)
    sign_in(client, owner.email)
    return organisation


@pytest.fixture
def county(worcestershire):
    return worcestershire_council(worcestershire)


def pledge_url(organisation, contract, code=""):
    return org_url(organisation, f"/contracts/{contract.id}/pledges" + (f"/{code}" if code else ""))


def test_recording_a_contract_leads_to_the_toolkit_and_pledges_become_commitments(
    client, supplier, county
):
    response = submit(client, org_url(supplier, "/contracts/new"), contract_data(county))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    saved = submit(client, org_url(supplier, "/contracts/new/check-your-answers"))
    assert saved.status_code == 302
    contract = db.session.scalar(select(Contract))
    # Recorded with a commissioner taking part in a charter with pledges: the toolkit is next.
    assert saved.location.endswith(pledge_url(supplier, contract))
    toolkit = client.get(saved.location).get_data(as_text=True)
    assert "Choose the pledges you made at tender" in toolkit
    assert "Mental Health First Aiders: Train [#] number of staff" in toolkit
    assert "Economic Empowerment" in toolkit  # grouped by the charter's themes

    made = [
        ("CD2", {"number_0": "4", "frequency": "quarterly"}),
        ("EE1", {"number_0": "22.5", "frequency": "annually"}),
        ("DI2", {"frequency": "annually"}),  # no [#]: made as worded
        ("ES1", {"number_0": "3", "number_1": "40", "frequency": "quarterly"}),
    ]
    for code, data in made:
        response = submit(client, pledge_url(supplier, contract, code), data)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    db.session.expire_all()
    commitments = {
        c.measure.code: c
        for c in db.session.scalars(
            select(ContractCommitment).options(joinedload(ContractCommitment.measure))
        )
    }
    made = {
        code: (c.pledge_numbers, c.frequency, c.target_value) for code, c in commitments.items()
    }
    assert made == {
        "CD2": (["4"], "quarterly", None),
        "EE1": (["22.5"], "annually", None),
        "DI2": ([], "annually", None),
        "ES1": (["3", "40"], "quarterly", None),
    }
    page = client.get(org_url(supplier, f"/contracts/{contract.id}")).get_data(as_text=True)
    assert (
        "Mental Health First Aiders: Train 4 number of staff as Mental Health First Aiders" in page
    )
    assert "Allocate at least 22.5% of total expenditure to the local supply chain" in page
    assert (
        "The delivery of 3 Carbon Literacy training sessions for a maximum of 40 many staff" in page
    )
    assert "Total number of staff trained in Mental Health First Aid." in page  # the indicator
    assert "Choose pledges from the toolkit" in page
    assert "Reported quarterly: Total number of staff trained in Mental Health First Aid." in page
    # A pledge has no target in the indicator's unit: its numbers are the pledge's own.
    assert page.count("As pledged") == 2 * 4  # the commitments and what was delivered
    toolkit = client.get(pledge_url(supplier, contract)).get_data(as_text=True)
    assert toolkit.count("Pledged</strong>") == 4


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        (
            "CD2",
            {"number_0": "", "frequency": "quarterly"},
            "Enter the number for the [#] in the pledge",
        ),
        (
            "CD2",
            {"number_0": "4.5", "frequency": "quarterly"},
            "Enter the number as a whole number, like",
        ),
        ("CD2", {"number_0": "-2", "frequency": "quarterly"}, "The number must be 0 or more"),
        (
            "CD2",
            {"number_0": "four", "frequency": "quarterly"},
            "Enter the number as a number, like 12",
        ),
        ("EE1", {"number_0": "100.5", "frequency": "annually"}, "The number must be 100% or less"),
        (
            "EE1",
            {"number_0": "22.55", "frequency": "annually"},
            "Enter the number to one decimal place",
        ),
        ("CD2", {"number_0": "4"}, "Select how often you will report this pledge"),
        (
            "CD2",
            {"number_0": "4", "frequency": "monthly"},
            "Select how often you will report this pledge",
        ),
        # CD3 is reported annually only.
        ("CD3", {"frequency": "quarterly"}, "Select how often you will report this pledge"),
        ("ES1", {"number_0": "3", "frequency": "quarterly"}, "Enter the second number for the [#]"),
    ],
)
def test_a_bad_pledge_is_refused_with_a_message_and_nothing_saved(
    client, supplier, county, code, data, message
):
    contract = make_contract(supplier, county)
    response = submit(client, pledge_url(supplier, contract, code), data)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert message in text.replace("&#39;", "'"), text[text.find("govuk-error-summary") :][:1500]
    assert row_count(ContractCommitment) == 0


def test_the_same_pledge_twice_is_refused(client, supplier, county):
    contract = make_contract(supplier, county)
    data = {"number_0": "4", "frequency": "quarterly"}
    assert submit(client, pledge_url(supplier, contract, "CD2"), data).status_code == 302
    again = submit(client, pledge_url(supplier, contract, "CD2"), data)
    assert "This contract already has a commitment for CD2" in again.get_data(as_text=True)
    assert row_count(ContractCommitment) == 1


def test_a_contract_whose_commissioner_is_not_in_the_charter_takes_no_pledges(
    client, supplier, worcestershire
):
    shropshire_only = make_commissioner("Shropshire Council")  # the default charter's
    contract = make_contract(supplier, shropshire_only)
    assert client.get(pledge_url(supplier, contract)).status_code == 404
    assert client.get(pledge_url(supplier, contract, "CD2")).status_code == 404
    page = client.get(org_url(supplier, f"/contracts/{contract.id}")).get_data(as_text=True)
    assert "Choose pledges from the toolkit" not in page
    assert "Add a commitment" in page


def test_a_measure_that_is_not_a_pledge_is_not_found(client, supplier, county, scheme):
    contract = make_contract(supplier, county)
    assert client.get(pledge_url(supplier, contract, "NOPE")).status_code == 404
    le1 = db.session.scalar(select(Measure).where(Measure.code == "LE1"))
    assert le1 is not None  # Shropshire's, another scheme's measure
    assert client.get(pledge_url(supplier, contract, "LE1")).status_code == 404


def test_the_toolkit_page_costs_the_same_queries_however_many_pledges_are_made(
    client, supplier, county, query_counter
):
    contract = make_contract(supplier, county)

    def queries() -> int:
        with query_counter() as count:
            assert client.get(pledge_url(supplier, contract)).status_code == 200
        return count.value

    submit(
        client, pledge_url(supplier, contract, "CD2"), {"number_0": "4", "frequency": "annually"}
    )
    one = queries()
    for code in ("ES2", "ES3", "ES4"):
        data = {"number_0": "4", "frequency": "annually"}
        assert submit(client, pledge_url(supplier, contract, code), data).status_code == 302
    assert queries() == one


def test_a_toolkit_contract_takes_pledges_not_measures(client, supplier, county):
    contract = make_contract(supplier, county)
    commitments = org_url(supplier, f"/contracts/{contract.id}/commitments/new")
    assert client.get(commitments).location.endswith(pledge_url(supplier, contract))
    posted = submit(
        client,
        commitments,
        {"measure": "CD2", "target_value": "4"},
        form_url=pledge_url(supplier, contract),
    )
    assert posted.status_code == 302
    assert row_count(ContractCommitment) == 0
