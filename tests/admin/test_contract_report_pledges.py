"""The administrators' contract social value report of Worcestershire's charter with pledges of
every kind of value (issue 21), through HTTP, on the page and in its CSV and Excel downloads:
a pair both figures with their labels, an achievement its date or "not yet" (never counted as
1), a pledge "as pledged" with its words; an achievement achieved is a commitment delivered in
full, a pledge of figures (no target to meet) is not counted either way."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from charter.extensions import db
from charter.formatting import format_date
from charter.models import Charter
from tests.client_request import ClientRequest
from tests.factories import make_user
from tests.organisation.pledge_helpers import (
    ACHIEVED_ON,
    load_worcestershire,
    pledged_contract,
    worcestershire_council,
    worcestershire_supplier,
)

EVENTS = "Events hosted: 4 Total attendance from local businesses: 80"


@pytest.fixture
def admin(client_request, app, scheme):
    worcestershire = load_worcestershire()
    owner = make_user(email="owner@supplier.example")
    supplier = worcestershire_supplier(owner, worcestershire, status="monitoring")
    county = worcestershire_council(worcestershire)
    client_request.sign_in(owner)
    pledged_contract(client_request, supplier, worcestershire, county)
    charter = db.session.get(Charter, worcestershire.charter_id)
    admin = ClientRequest(app.test_client())
    admin.sign_in(make_user(email="admin@worcs.example", role="administrator", charter=charter))
    return admin


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_the_page_shows_each_kind_of_value_as_itself(admin):
    page = admin.get("admin.show_contract_report")
    (contract,) = page.select("#contracts ~ .app-table-scroll tbody tr")
    cells = {td["data-label"]: _text(td) for td in contract.select("td")}
    assert cells["Made at tender"] == "5" and cells["Delivered in full"] == "1"
    rows = {
        _text(tr.select_one("th")).split()[0]: {
            td["data-label"]: _text(td) for td in tr.select("td")
        }
        for tr in page.select("#commitments + table tbody tr")
    }
    assert rows["EE3"]["Committed"] == "As pledged"
    assert rows["EE3"]["Delivered to date"] == EVENTS
    assert rows["DI2"]["Delivered to date"].startswith(f"Achieved on {format_date(ACHIEVED_ON)}")
    assert rows["DI3"]["Delivered to date"] == (
        "Carers identified: 10 Staff with flexible working arrangements: 62.5%"
        " the whole organisation’s figures"
    )
    assert rows["EE1"]["Delivered to date"].startswith("42%")
    assert rows["CD2"]["Delivered to date"] == "4"


def test_the_downloads_give_both_figures_and_the_date(admin):
    response = admin.client.get("/admin/contract-social-value.csv?table=commitments")
    assert response.status_code == 200
    rows = {r["Measure"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    events = rows["EE3"]
    assert (events["Delivered to date"], events["Delivered, second figure"]) == ("4.00", "80.00")
    assert events["Delivered, in words"] == EVENTS.replace(" Total", "; Total")
    assert events["Committed"] == "As pledged" and events["Unit"] == "two figures"
    assert events["Pledge"].startswith("Host Local Events: Organise 2 ")
    achievement = rows["DI2"]
    assert achievement["Delivered to date"] == "" and achievement["Delivered, second figure"] == ""
    assert achievement["Achieved on"] == ACHIEVED_ON.isoformat()
    contracts = admin.client.get("/admin/contract-social-value.csv?table=contracts")
    (row,) = list(csv.DictReader(io.StringIO(contracts.get_data(as_text=True))))
    assert row["Commitments made at tender"] == "5"
    assert row["Commitments delivered in full"] == "1"  # the achievement

    book = load_workbook(io.BytesIO(admin.client.get("/admin/contract-social-value.xlsx").data))
    sheet = list(book["Commitments"].values)
    headings = sheet[0]
    by_measure = {
        row[headings.index("Measure")]: dict(zip(headings, row, strict=True)) for row in sheet[1:]
    }
    assert by_measure["EE3"]["Delivered to date"] == 4
    assert by_measure["EE3"]["Delivered, second figure"] == 80
    assert by_measure["DI2"]["Delivered to date"] is None
    assert by_measure["DI2"]["Achieved on"] == ACHIEVED_ON.isoformat()
