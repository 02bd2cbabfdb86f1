"""The demo's other charters use their own features (charter/demo/charter_features.py), and the
pages show them as the people the README names see them."""

import re

import pytest
from sqlalchemy import select

from charter.demo.builder import DEMO_PASSWORD
from charter.models import Charter, CharterCommissioner, Contract
from tests.factories import sign_in

SUPPLIER = "owner@severn-valley-builders-ltd.demo.example"
CW = "cheshire-west-and-chester"


def _client(app, email):
    client = app.test_client()
    sign_in(client, email, DEMO_PASSWORD)
    return client


def _contract(db, reference: str) -> Contract:
    return db.session.scalar(select(Contract).where(Contract.reference == reference))


@pytest.mark.usefixtures("demo")
def test_cheshire_wests_contract_manager_and_supplier_see_its_social_value(app, db):
    contract = _contract(db, "CWAC-2026-0871")
    manager = _client(app, "contracts@cheshire-west-and-chester-council.demo.example")
    shown = manager.get(f"/commissioner/contracts/{contract.id}").get_data(as_text=True)
    assert "<strong>10%</strong>" in shown
    assert "Cannot be compared: CW3 and CW4 have no proxy value in force today" in shown
    assert "1 service credit, £2,500 in all" in shown and "first quarter" in shown
    # And in the manager's report, credited per contract (issue 21).
    report = manager.get("/commissioner/report").get_data(as_text=True)
    assert 'id="credits-table"' in report and "£2,500" in report
    assert "No alternative commitments were accepted on these contracts" in report
    supplier = _client(app, SUPPLIER)
    page = f"/organisations/severn-valley-builders-ltd/contracts/{contract.id}?charter={CW}"
    shown = supplier.get(page).get_data(as_text=True)
    assert "<strong>10%</strong>" in shown and "£2,500 in all" in shown
    assert "Employment activities" in shown
    standards = supplier.get(
        f"/organisations/severn-valley-builders-ltd/minimum-standards?charter={CW}"
    )
    assert "Commitment to fair working practices" in standards.get_data(as_text=True)
    # The council takes part in Cheshire West's charter only.
    charters = db.session.scalars(
        select(Charter.slug)
        .join(CharterCommissioner, CharterCommissioner.charter_id == Charter.id)
        .where(CharterCommissioner.commissioner_id == contract.commissioner_id)
    )
    assert list(charters) == [CW]


@pytest.mark.usefixtures("demo")
def test_worcestershires_contract_has_four_pledges_and_what_they_delivered(app, db):
    contract = _contract(db, "WCC-2026-0412")
    owner = _client(app, "owner@malvern-hills-catering-ltd.demo.example")
    page = (
        f"/organisations/malvern-hills-catering-ltd/contracts/{contract.id}?charter=worcestershire"
    )
    shown = owner.get(page).get_data(as_text=True)
    assert "Train 4 number of staff as Mental Health First Aiders" in shown
    assert "The delivery of 2 Carbon Literacy training sessions for a maximum of 30" in shown
    assert "Commit to being an Inclusive Worcestershire Leader" in shown
    assert "Allocate at least 40% of total expenditure to the local supply chain" in shown
    # What its verified returns delivered: a pair both figures, the achievement its date. Each
    # year's return reports 2 sessions for 24 staff; how many years are verified depends on the
    # demo's date (one on 6 December 2026, two by 20 March 2027).
    delivered = re.search(
        r"Training sessions: (\d+)<br>Staff trained: (\d+)<br>"
        r"<span[^>]*>from (\d+) verified period",
        shown,
    )
    sessions, staff, years = (int(n) for n in delivered.groups())
    assert years >= 1 and (sessions, staff) == (2 * years, 24 * years)
    assert "Achieved on " in shown and "43%" in shown
    manager = _client(app, "contracts@worcestershire-county-council.demo.example")
    admin = _client(app, "admin@worcestershire.demo.example")
    for client, url in ((manager, "/commissioner/report"), (admin, "/admin/contract-social-value")):
        report = client.get(url).get_data(as_text=True)
        pair = re.search(r"Training sessions: (\d+)<br>Staff trained: (\d+)", report)
        assert pair and int(pair[2]) == 12 * int(pair[1]) > 0, url
        assert "Achieved on " in report, url


@pytest.mark.usefixtures("demo")
def test_warwickshires_register_has_its_signatory(app):
    shown = app.test_client().get("/c/warwickshire/register").get_data(as_text=True)
    assert "Arden Print and Signs Ltd" in shown
