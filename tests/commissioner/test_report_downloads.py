"""The contract managers' report as CSV and as an Excel workbook: read back with csv and
openpyxl, they hold the page's rows and figures, numbers as numbers, units in the headings,
the period and filters on the "About" sheet, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from charter.formatting import format_amount
from tests.commissioner.report_helpers import (
    SHROPSHIRE_MANAGER,
    managers,
    page_tables,
    report_world,
)
from tests.factories import sign_in

UNITS = {"LE1": "GBP", "LE4": "FTE", "LE5": "weeks"}


@pytest.fixture
def http(app, scheme):
    world = report_world(scheme)
    managers(world)
    client = app.test_client()
    sign_in(client, SHROPSHIRE_MANAGER)
    client.world = world
    return client


def _shown(value, code) -> str:
    return "–" if value in (None, "") else format_amount(Decimal(str(value)), UNITS[code])


@pytest.mark.parametrize("query", ["", "?period=2026-27", "?period=2026-Q2&measure=LE1"])
def test_the_csv_has_the_pages_rows_and_figures(http, query):
    tables = page_tables(http.get(f"/commissioner/report{query}").get_data(as_text=True))
    response = http.get(f"/commissioner/report.csv{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))

    from_csv: dict[str, list[list[str]]] = {}
    for row in rows:
        code = row["Measure"]
        label = "Total"
        if row["Contract"] != "Total":  # the page names the contract, its supplier and reference
            label = f"{row['Contract'].removeprefix(chr(39))} {row['Supplier']}"
            label += f", {row['Reference']}" if row["Reference"] else ""
        committed = _shown(row["Committed"], code)
        from_csv.setdefault(code, []).append([label, committed, _shown(row["Delivered"], code)])
    from_page = {
        code: [
            [
                "Total" if row[0].startswith("Total, ") else row[0],
                "–" if row[1] == "No commitment" else row[1],
                row[2].split(" period ending")[0],  # a stock's period, said on the page
            ]
            for row in table
        ]
        for code, table in tables.items()
    }
    assert from_csv == from_page
    assert {row["Period"] for row in rows} == {
        {"": "All time", "?period=2026-27": "April 2026 to March 2027"}.get(
            query, "April to June 2026"
        )
    }


def test_the_csv_is_safe_from_formula_injection_and_names_units(http):
    text = http.get("/commissioner/report.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    roads = next(r for r in rows if r["Reference"] == "SC-202" and r["Measure"] == "LE1")
    assert roads["Contract"] == "'=Highways"  # shown as text, never run
    assert roads["Unit"] == "£" and roads["Supplier"] == "Mereside Builders"
    assert Decimal(roads["Committed"]) == 10000 and Decimal(roads["Delivered"]) == 4250
    assert roads["Share of commitment (%)"] == "42"
    assert (roads["Verified figures"], roads["Endorsed figures"], roads["Queried figures"]) == (
        "2",
        "0",
        "1",
    )
    total = next(r for r in rows if r["Contract"] == "Total" and r["Measure"] == "LE1")
    assert Decimal(total["Delivered"]) == 6750
    assert total["Endorsement"] == "1 of 4 endorsed, 1 queried"


def test_the_workbook_has_an_about_sheet_and_one_sheet_per_measure(http):
    world = http.world
    response = http.get(f"/commissioner/report.xlsx?period=2026-27&supplier={world.mereside.id}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename="contracts-report-2026-27.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    # Then what was substituted and credited, a sheet each even when empty (issue 21).
    assert book.sheetnames == ["About", "LE1", "LE5", "Substituted commitments", "Service credits"]

    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Commissioner"] == "Shropshire Council"
    assert about["Period"].startswith("April 2026 to March 2027 (1 April 2026 to 31 March 2027)")
    assert about["Supplier"] == "Mereside Builders"
    assert about["Measure"] == "All measures" and about["Contract"] == "All contracts"
    assert about["Sheet LE5"].endswith("(weeks)")
    assert about["Confirmed contracts shown"] == 1  # a number

    sheet = book["LE1"]
    headings = [c.value for c in sheet[1]]
    assert headings[:6] == [
        "Commissioner",
        "Supplier",
        "Contract",
        "Reference",
        "Committed (£)",
        "Delivered (£)",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][2] == "'=Highways"
    assert rows[0][4:6] == (10000, 4000) and rows[0][9:13] == (40, 1, 0, 1)  # numbers
    assert rows[-1][2] == "Total" and rows[-1][5] == 4000
    weeks = book["LE5"]
    assert [c.value for c in weeks[1]][4:6] == ["Committed (weeks)", "Delivered (weeks)"]
    assert next(weeks.iter_rows(min_row=2, values_only=True))[4:6] == (20, 6)


def test_the_workbook_matches_the_page_for_a_stock(http):
    tables = page_tables(http.get("/commissioner/report").get_data(as_text=True))
    book = load_workbook(io.BytesIO(http.get("/commissioner/report.xlsx").data))
    row = next(book["LE4"].iter_rows(min_row=2, values_only=True))
    assert [_shown(row[4], "LE4"), _shown(row[5], "LE4")] == [
        tables["LE4"][0][1],
        tables["LE4"][0][2].split(" period ending")[0],
    ]
    assert row[5] == 2 and row[9] == 100


def test_downloads_of_an_empty_report_have_headings_only(http):
    world = http.world
    query = f"?contract={world.meals.id}&measure=LE5"
    rows = list(
        csv.reader(io.StringIO(http.get(f"/commissioner/report.csv{query}").get_data(as_text=True)))
    )
    assert rows[0][:2] == ["Period", "Measure"] and len(rows) == 1
    book = load_workbook(io.BytesIO(http.get(f"/commissioner/report.xlsx{query}").data))
    assert book.sheetnames == ["About", "Substituted commitments", "Service credits"]
    assert all(sheet.max_row == 1 for sheet in book.worksheets[1:])  # headings only
