"""A charter's /impact and its open data: verified figures only, small cells withheld everywhere
public, bad choices refused with a message, and a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from charter.extensions import db
from tests.services.read_models.impact_helpers import contributor, rebuild, verified

YEAR = "2026-27"


def two_small_and_three_large(scheme):
    """Oswestry has two contributors (withheld); Shrewsbury three (shown); Ludlow three with
    less between them (withheld with Oswestry, so Oswestry's is not the total less the rest)."""
    districts = (
        ("Oswestry", (111, 222)),
        ("Shrewsbury", (1000, 2000, 3000)),
        ("Ludlow", (5, 6, 7)),
    )
    for district, amounts in districts:
        for amount in amounts:
            organisation, measures = contributor(scheme, district)
            verified(organisation, measures, 2, LE1=amount)
    rebuild()


def test_the_page_shows_verified_totals_for_the_period(client, scheme):
    two_small_and_three_large(scheme)

    page = client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE1").get_data(as_text=True)

    assert "£6,351" in page  # 111 + 222 + 1000 + 2000 + 3000 + 5 + 6 + 7
    assert "From 8 organisations" in page
    assert "£6,000" in page  # Shrewsbury


def test_a_cell_from_two_organisations_is_withheld_on_the_page(client, scheme):
    two_small_and_three_large(scheme)

    page = client.get(f"/c/shropshire/impact?period={YEAR}&measure=LE1").get_data(as_text=True)

    assert "£333" not in page and "£18" not in page and "£351" not in page
    assert "£111" not in page and "£222" not in page
    assert "fewer than 3" in page
    assert "withheld to protect a small figure" in page


def test_a_cell_from_two_organisations_is_withheld_in_the_csv_and_json(client, scheme):
    two_small_and_three_large(scheme)

    rows = list(
        csv.DictReader(io.StringIO(client.get("/c/shropshire/impact.csv").get_data(as_text=True)))
    )
    oswestry = [r for r in rows if r["breakdown_value"] == "Oswestry" and r["period"] == YEAR]
    assert oswestry and all(r["value"] == "" and r["suppressed"] == "yes" for r in oswestry)
    assert all(r["organisations"] == "fewer than 3" for r in oswestry)
    assert not any(r["value"] in ("333", "333.00") for r in rows)

    document = client.get("/c/shropshire/impact.json").get_json()
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    withheld = [f for f in document["figures"] if f["breakdown_value"] == "Oswestry"]
    assert withheld and all(f["value"] is None and f["suppressed"] for f in withheld)
    shown = next(
        f
        for f in document["figures"]
        if f["breakdown_value"] == "Shrewsbury"
        and f["period"] == YEAR
        and f["measure_code"] == "LE1"
    )
    assert Decimal(shown["value"]) == Decimal("6000")


def test_an_unknown_period_or_measure_is_refused_with_a_message(client, scheme):
    two_small_and_three_large(scheme)

    for query, message in (
        ("period=bogus", "Choose a period from the list"),
        ("period=99999999999-Q1", "Choose a period from the list"),
        # A NUL byte is refused before any view runs (charter/security/request_guard.py).
        ("period=%00", "a character that is not allowed"),
        ("measure=NOPE", "Choose a measure from the list"),
    ):
        response = client.get(f"/c/shropshire/impact?{query}")
        assert response.status_code == 400, query
        assert message in response.get_data(as_text=True)


def test_an_empty_scheme_has_a_helpful_page(client, scheme):
    page = client.get("/c/shropshire/impact").get_data(as_text=True)
    assert "There are no verified figures for this period yet" in page


def test_the_page_costs_the_same_queries_at_two_sizes(app, client, scheme, query_counter):
    two_small_and_three_large(scheme)
    # Warm caches outside the count: the scheme, and the parts another period shares.
    client.get("/c/shropshire/impact?period=all")
    with query_counter() as small:
        client.get(f"/c/shropshire/impact?period={YEAR}")
    for district in ("Ludlow", "Bridgnorth", "Whitchurch"):
        for amount in (10, 20, 30, 40):
            organisation, measures = contributor(scheme, district)
            verified(organisation, measures, 2, LE1=amount, LE4=2)
            verified(organisation, measures, 3, LE1=amount)
    rebuild()
    client.get("/c/shropshire/impact?period=all")
    with query_counter() as large:
        client.get(f"/c/shropshire/impact?period={YEAR}")
    assert small.value == large.value


def test_demo_totals_equal_the_verified_figures_in_the_database(app, client, scheme):
    """Computed independently: plain SQL over verified return lines for each breakdown."""
    from charter.demo.builder import load_demo_data

    load_demo_data(scheme)
    # The last whole financial year before today's: the demo has verified returns for all of it
    # whatever the day the suite runs.
    today = date.today()
    first = today.year - (1 if today.month < 4 else 0) - 1
    year_start, year_end = f"{first}-04-01", f"{first + 1}-03-31"
    label = f"{first}-{(first + 1) % 100:02d}"
    document = client.get("/c/shropshire/impact.json").get_json()
    published = {
        (f["measure_code"], f["breakdown"], f["breakdown_value"]): Decimal(f["value"])
        for f in document["figures"]
        if f["period"] == label and f["value"] is not None
    }
    complementary = {
        (f["measure_code"], f["breakdown"], f["breakdown_value"])
        for f in document["figures"]
        if f["period"] == label and f["suppression"] == "complementary"
    }
    checked = 0
    for dimension, column in (
        ("all", "''"),
        ("district", "o.district"),
        ("sector", "o.sector"),
        ("organisation_type", "o.organisation_type"),
    ):
        rows = db.session.execute(
            text(
                f"SELECT m.code, {column} AS value, SUM(l.actual_value), "
                "COUNT(DISTINCT o.id) FROM return_lines l "
                "JOIN monitoring_returns r ON r.id = l.return_id "
                "JOIN measures m ON m.id = l.measure_id "
                "JOIN organisations o ON o.id = r.organisation_id "
                "WHERE r.status = 'verified' AND l.actual_value IS NOT NULL "
                "AND m.unit IN ('GBP', 'hours', 'weeks', 'count') "
                "AND r.period_end BETWEEN :start AND :end "
                "GROUP BY 1, 2"
            ),
            {"start": year_start, "end": year_end},
        )
        for code, value, total, organisations in rows:
            key = (code, dimension, value)
            if organisations < 3:
                assert key not in published
                continue
            if key in complementary:
                assert key not in published
                continue
            assert published[key] == Decimal(total), key
            checked += 1
    # Enough shown figures to check (secondary suppression across the linked tables, and of
    # cells whose organisations mostly publish their own figures, withholds more than it did).
    assert checked >= 3
    page = client.get(f"/c/shropshire/impact?period={label}").get_data(as_text=True)
    le1 = published[("LE1", "all", "")]
    assert f"£{le1:,.0f}" in page
