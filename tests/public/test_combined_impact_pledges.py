"""Worcestershire's pairs and achievements on the combined impact pages (issue 21): every
charter's /charters/impact and the West Midlands' (Shropshire's and Worcestershire's charters),
their CSV and JSON, through HTTP on the real scheme file. A pair is published as its two parts,
each with its own label and added up by its own unit's rule (never one number); an achievement
as how many organisations achieved it (never a sum with counts); both withheld below the
threshold like any figure, and in their units only (no pounds on the combined pages)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from charter.extensions import db
from charter.services.read_models.impact import build
from tests.organisation.pledge_helpers import load_worcestershire
from tests.public.impact_page_helpers import tables
from tests.public.test_impact_pledges import YEAR, achieved, pair, reported

CARERS = "worcestershire/DI3"  # a count and a percentage
INCLUSIVE = "worcestershire/DI2"  # an achievement
SCOPES = [{}, {"region": "west-midlands"}]


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


def consenting(scheme, lines):
    """``reported``, by an organisation that publishes its figures."""
    reported(scheme, lines)
    from charter.models import Signing

    latest = db.session.query(Signing).order_by(Signing.id.desc()).first()
    latest.publishes_figures = True
    db.session.commit()


def totals(client_request, query) -> dict[str, list[str]]:
    page = client_request.get(
        "public.show_combined_impact", _query={"period": YEAR.key, **query}
    )
    rows = tables(str(page))[f"Totals by measure, {YEAR.long_label}"]
    return {row[0]: row[1:3] for row in rows}


def row_of(shown: dict, starts: str) -> list[str]:
    found = [figures for heading, figures in shown.items() if heading.startswith(starts)]
    assert len(found) == 1, (starts, list(shown))
    return found[0]


def whole_year(rows) -> dict[str, dict]:
    return {
        r["measure_code"]: r for r in rows if r["breakdown"] == "all" and r["period"] == YEAR.key
    }


@pytest.mark.parametrize("query", SCOPES)
def test_a_pair_shows_both_figures_and_an_achievement_how_many_achieved_it(
    client_request, worcestershire, query
):
    for first, second in (("4", "50"), ("5", "60"), ("6", "70")):
        consenting(worcestershire, {"DI3": pair(first, second), "DI2": achieved(True)})
    consenting(worcestershire, {"DI3": pair("1", "10"), "DI2": achieved(False)})
    build.rebuild()
    db.session.commit()

    shown = totals(client_request, query)
    title = "Number of carers identified and percentage of staff with flexible working"
    assert row_of(shown, f"{title}") == ["16", "4"]  # carers identified, added up
    second = row_of(shown, "Staff with flexible working arrangements")
    assert second == ["47.5% on average", "4"]
    assert row_of(shown, "Completion of assessment for Disability Confident") == [
        "3 organisations achieved it",  # the "no" is not one
        "3",
    ]
    headings = " ".join(shown)
    assert "Carers identified" in headings
    assert "£" not in " ".join(" ".join(v) for v in shown.values())

    response = client_request.client.get("/charters/impact.csv", query_string=query)
    assert response.status_code == 200
    rows = whole_year(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert (rows[CARERS]["unit"], rows[CARERS]["value"]) == ("count", "16.00")
    assert rows[CARERS]["measure_title"].endswith(": Carers identified")
    assert (rows[f"{CARERS}.2"]["unit"], rows[f"{CARERS}.2"]["value"]) == ("percent", "47.50")
    assert rows[f"{CARERS}.2"]["measure_title"].endswith(
        ": Staff with flexible working arrangements"
    )
    assert (rows[INCLUSIVE]["unit"], rows[INCLUSIVE]["value"]) == ("achievement", "3.00")
    assert rows[INCLUSIVE]["organisations"] == "3"
    assert all(r["value_in_pounds"] == "" for r in rows.values())

    response = client_request.client.get("/charters/impact.json", query_string=query)
    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    rows = whole_year(document["figures"])
    assert rows[f"{CARERS}.2"]["value"] == "47.50"
    assert (rows[INCLUSIVE]["unit"], rows[INCLUSIVE]["value"]) == ("achievement", "3.00")
    assert all(r["value_in_pounds"] is None for r in rows.values())


@pytest.mark.parametrize("query", SCOPES)
@pytest.mark.parametrize(
    ("organisations", "shown"),
    [
        (2, ["fewer than 3 organisations", "fewer than 3"]),
        (3, ["3 organisations achieved it", "3"]),
    ],
)
def test_too_few_organisations_withhold_a_pair_and_an_achievement_together(
    client_request, worcestershire, query, organisations, shown
):
    for _ in range(organisations):
        reported(worcestershire, {"DI2": achieved(True), "DI3": pair("2", "20")})
    build.rebuild()
    db.session.commit()
    figures = totals(client_request, query)
    assert row_of(figures, "Completion of assessment") == shown
    assert row_of(figures, "Staff with flexible working")[1] == shown[1]

    response = client_request.client.get("/charters/impact.json", query_string=query)
    rows = whole_year(json.loads(response.get_data(as_text=True))["figures"])
    withheld = organisations < 3
    for code in (CARERS, f"{CARERS}.2", INCLUSIVE):
        assert rows[code]["suppressed"] is withheld
        assert (rows[code]["value"] is None) is withheld
