"""The contract managers' report of a contract with Worcestershire's pledges (issue 21), through
HTTP, on the page and in its CSV and Excel downloads: a pair shows both figures with their
labels (never one number, nor totalled into one), an achievement "achieved on" its date or "not
yet" (never a 1), a pledge "as pledged" with its words; the whole organisation's figures of a
pledge its scheme reports for the organisation, in the period chosen; only verified figures."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from charter.formatting import format_date
from charter.services.read_models.impact.periods import quarter_of
from tests.client_request import ClientRequest
from tests.commissioner.monitoring_helpers import make_manager
from tests.factories import make_user
from tests.organisation.pledge_helpers import (
    ACHIEVED_ON,
    load_worcestershire,
    pledged_contract,
    worcestershire_council,
    worcestershire_supplier,
)

MANAGER = "manager@worcestershire.example"
EVENTS = "Events hosted: 4 Total attendance from local businesses: 80"
CARERS = "Carers identified: 10 Staff with flexible working arrangements: 62.5%"


@pytest.fixture
def report(client_request, app, scheme):
    worcestershire = load_worcestershire()
    owner = make_user(email="owner@supplier.example")
    supplier = worcestershire_supplier(owner, worcestershire, status="monitoring")
    county = worcestershire_council(worcestershire)
    client_request.sign_in(owner)
    pledged_contract(client_request, supplier, worcestershire, county)
    manager = ClientRequest(app.test_client())  # a second person, in a browser of their own
    manager.sign_in(make_manager(county, MANAGER))
    return manager


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def _rows(page) -> dict[str, list[str]]:
    """The first row (the contract's) of each measure's table, by measure code, then its
    total row under ``<code> total``."""
    found = {}
    for heading in page.select("h3[id^=measure-]"):
        code = heading["id"].removeprefix("measure-")
        rows = heading.find_next("table").select("tbody tr")
        found[code] = [_text(cell) for cell in rows[0].select("th, td")]
        found[f"{code} total"] = [_text(cell) for cell in rows[-1].select("th, td")]
    return found


def test_the_page_shows_each_kind_of_value_as_itself(report):
    rows = _rows(report.get("commissioner.show_report"))
    achieved = f"Achieved on {format_date(ACHIEVED_ON)}"
    assert rows["EE3"][1:3] == ["As pledged", EVENTS]
    assert "Pledged: Host Local Events: Organise 2 'Meet the Buyer' events" in rows["EE3"][0]
    assert rows["EE3 total"][2] == EVENTS  # each figure totalled on its own
    assert rows["DI3"][2] == CARERS
    assert rows["DI3"][4] == "The whole organisation’s figures, not endorsed per contract"
    assert rows["DI3 total"][2] == "–"  # the organisation's figures are not added up
    assert rows["DI2"][1:3] == ["As pledged", achieved]
    assert rows["DI2 total"][2] == "–"  # never a yes counted as 1
    assert rows["EE1"][2].startswith("42%")  # a percentage: the latest
    assert rows["CD2"][2] == "4"  # a count: added up, the unverified 50 left out


def test_a_period_counts_only_its_own_figures(report):
    from datetime import timedelta

    quarter = quarter_of(date.today() - timedelta(days=300))
    rows = _rows(report.get("commissioner.show_report", period=quarter.key))
    assert rows["EE3"][2] == "Events hosted: 2 Total attendance from local businesses: 40"
    assert rows["DI3"][2] == "Carers identified: 5 Staff with flexible working arrangements: 62.5%"
    assert rows["DI2"][2] == "Not yet achieved"  # achieved in a later quarter


def test_the_csv_gives_both_figures_and_the_date_never_a_sum(report):
    response = report.client.get("/commissioner/report.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by = {(r["Measure"], r["Contract"]): r for r in rows}
    events = by[("EE3", "Library services")]
    assert (events["Committed"], events["Delivered"], events["Delivered, second figure"]) == (
        "As pledged",
        "4.00",
        "80.00",
    )
    assert events["Delivered, in words"] == EVENTS.replace(" Total", "; Total")
    assert events["Pledge"].startswith("Host Local Events: Organise 2 ")
    total = by[("EE3", "Total")]
    assert (total["Delivered"], total["Delivered, second figure"]) == ("4.00", "80.00")
    achievement = by[("DI2", "Library services")]
    assert achievement["Delivered"] == "" and achievement["Achieved on"] == ACHIEVED_ON.isoformat()
    assert achievement["Delivered, in words"] == f"Achieved on {format_date(ACHIEVED_ON)}"
    assert by[("DI2", "Total")]["Delivered"] == ""
    carers = by[("DI3", "Library services")]
    assert (carers["Delivered"], carers["Delivered, second figure"]) == ("10.00", "62.50")
    assert by[("EE1", "Library services")]["Delivered"] == "42.00"


def test_the_workbook_names_each_figure_of_a_pair(report):
    response = report.client.get("/commissioner/report.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    events = book["EE3"]
    headings = [c.value for c in events[1]]
    assert headings[5:7] == [
        "Delivered: Events hosted (number)",
        "Delivered: Total attendance from local businesses (number)",
    ]
    row = next(events.iter_rows(min_row=2, values_only=True))
    assert row[4:7] == ("As pledged", 4, 80)
    achievement = book["DI2"]
    assert [c.value for c in achievement[1]][5:8] == [
        "Delivered (yes or no)",
        "Delivered, second figure",
        "Achieved on",
    ]
    row = next(achievement.iter_rows(min_row=2, values_only=True))
    assert row[5] is None and row[7] == ACHIEVED_ON.isoformat()
