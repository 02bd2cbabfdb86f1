"""Administrators' impact reports: unsuppressed, filtered, downloadable as CSV and Excel, and the
downloads read back with the same figures as the page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from charter.extensions import db
from charter.models import ContractFigure, ReturnLine
from tests.factories import make_commissioner, make_contract
from tests.services.read_models.impact_helpers import contributor, rebuild, verified

YEAR = "2026-27"


def small_world(scheme):
    """Two Oswestry organisations (the public page withholds them), one with a contract."""
    council = make_commissioner("Shropshire Council")
    first, measures = contributor(scheme, "Oswestry", sector="Construction")
    contract = make_contract(first, council, title="Highways =maintenance", reference="HW-1")
    monitoring_return = verified(first, measures, 2, LE1=1200)
    line = db.session.scalar(
        db.select(ReturnLine).where(
            ReturnLine.return_id == monitoring_return.id,
            ReturnLine.measure_id == measures["LE1"].id,
        )
    )
    db.session.add(ContractFigure(return_line_id=line.id, contract_id=contract.id, value=1000))
    db.session.commit()
    second, measures = contributor(scheme, "Oswestry", sector="Construction")
    verified(second, measures, 3, LE1=300)
    rebuild()
    return council


def test_staff_see_figures_the_public_page_withholds(admin_client, scheme):
    small_world(scheme)

    page = admin_client.get(f"/admin/impact-report?period={YEAR}").get_data(as_text=True)

    assert "1,500" in page  # Oswestry: two organisations, withheld in public
    assert "Highways =maintenance" in page and "1,000" in page


def test_only_administrators_see_reports(app, client, member_client, assessor_client, scheme):
    for path in ("/admin/impact-report", "/admin/impact-report.xlsx", "/admin/impact-report.csv"):
        assert client.get(path).status_code == 302
        assert member_client.get(path).status_code == 403
        assert assessor_client.get(path).status_code == 403


def test_the_workbook_and_csv_read_back_with_the_page_figures(admin_client, scheme):
    small_world(scheme)

    response = admin_client.get(f"/admin/impact-report.xlsx?period={YEAR}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "By district" in book.sheetnames and "By contract" in book.sheetnames
    district = book["By district"]
    headings = [c.value for c in district[1]]
    assert headings[0] == "District" and "LE1 (£)" in headings
    oswestry = next(
        r for r in district.iter_rows(min_row=2, values_only=True) if r[0] == "Oswestry"
    )
    assert oswestry[headings.index("LE1 (£)")] == 1500  # a number, not text
    contracts = book["By contract"]
    row = next(contracts.iter_rows(min_row=2, values_only=True))
    assert row[0] == "Highways =maintenance"  # not starting with '=': left as it is
    assert row[[c.value for c in contracts[1]].index("LE1 (£)")] == 1000

    text = admin_client.get(f"/admin/impact-report.csv?period={YEAR}&table=district").get_data(
        as_text=True
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert Decimal(next(r for r in rows if r["District"] == "Oswestry")["LE1 (£)"]) == 1500


def test_filters_narrow_the_contract_table(admin_client, scheme):
    council = small_world(scheme)
    other = make_commissioner("West Mercia Police")

    mine = admin_client.get(f"/admin/impact-report?period={YEAR}&commissioner={council.id}")
    theirs = admin_client.get(f"/admin/impact-report?period={YEAR}&commissioner={other.id}")

    assert "Highways =maintenance" in mine.get_data(as_text=True)
    assert "Highways =maintenance" not in theirs.get_data(as_text=True)


def test_bad_filters_are_refused_with_a_message(admin_client, scheme):
    for query, message in (
        ("period=1999-Q9", "Choose a period from the list"),
        ("district=Atlantis", "Choose a district from the list"),
        ("commissioner=99999999999", "Choose a commissioner from the list"),
        ("measure=nope", "Choose a measure from the list"),
        # A NUL byte is refused before any view runs (charter/security/request_guard.py).
        ("measure=%00", "a character that is not allowed"),
    ):
        response = admin_client.get(f"/admin/impact-report?{query}")
        assert response.status_code == 400, query
        assert message in response.get_data(as_text=True)
    assert admin_client.get("/admin/impact-report.csv?table=nope").status_code == 400


def test_the_report_costs_the_same_queries_at_two_sizes(admin_client, scheme, query_counter):
    small_world(scheme)
    admin_client.get("/admin/impact-report")
    with query_counter() as small:
        admin_client.get(f"/admin/impact-report?period={YEAR}")
    for district in ("Ludlow", "Bridgnorth"):
        for amount in (10, 20, 30):
            organisation, measures = contributor(scheme, district)
            verified(organisation, measures, 2, LE1=amount)
    rebuild()
    admin_client.get("/admin/impact-report")  # the signed-in user is loaded again after commits
    with query_counter() as large:
        admin_client.get(f"/admin/impact-report?period={YEAR}")
    assert small.value == large.value
