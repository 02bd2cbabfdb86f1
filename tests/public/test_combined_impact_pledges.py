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
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure
from charter.services.domain import signings
from charter.services.read_models.impact import build
from charter.services.read_models.impact.periods import quarter_of
from tests.organisation.pledge_helpers import load_worcestershire
from tests.public.impact_page_helpers import tables
from tests.public.test_impact_pledges import PERIOD, YEAR, achieved, pair, reported

CARERS = "worcestershire/DI3"  # a count and a percentage
INCLUSIVE = "worcestershire/DI2"  # an achievement
SCOPES = [{}, {"region": "west-midlands"}]


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


def consenting(scheme, lines):
    """``reported``, by an organisation that publishes its figures."""
    signings.signing_of(reported(scheme, lines)).publishes_figures = True
    db.session.commit()


def totals(client_request, query) -> dict[str, list[str]]:
    page = client_request.get("public.show_combined_impact", _query={"period": YEAR.key, **query})
    rows = tables(str(page))[f"Totals by measure, {YEAR.long_label}"]
    return {row[0]: row[1:3] for row in rows}


def row_of(shown: dict, starts: str) -> list[str]:
    """The figures of the one row whose heading (its title, then what each charter calls it)
    starts with ``starts``."""
    found = [figures for heading, figures in shown.items() if heading.startswith(starts)]
    assert len(found) == 1, (starts, list(shown))
    return found[0]


TITLE = (
    "Number of carers identified and percentage of staff with flexible working arrangements "
    "implemented within [#] weeks"
)


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
    # Carers identified, added up; the share of staff, averaged: never one number.
    assert row_of(shown, f"{TITLE}: Carers identified") == ["16", "4"]
    second = row_of(shown, f"{TITLE}: Staff with flexible working arrangements")
    assert second == ["47.5% on average", "4"]
    assert row_of(shown, "Completion of assessment for Disability Confident") == [
        "3 organisations achieved it",  # the "no" is not one
        "3",
    ]
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
    assert row_of(figures, f"{TITLE}: Carers identified")[1] == shown[1]
    assert row_of(figures, f"{TITLE}: Staff with flexible working")[1] == shown[1]

    response = client_request.client.get("/charters/impact.json", query_string=query)
    rows = whole_year(json.loads(response.get_data(as_text=True))["figures"])
    withheld = organisations < 3
    for code in (CARERS, f"{CARERS}.2", INCLUSIVE):
        assert rows[code]["suppressed"] is withheld
        assert (rows[code]["value"] is None) is withheld


def test_a_pair_s_count_withheld_in_a_quarter_is_not_the_year_less_another(
    client_request, worcestershire
):
    """A pair's count adds up over time as any count does, so its quarters are parts of its
    year on every page: three organisations in April to June, two of them again in July to
    September (too few), and the year (three organisations) less April to June must not give
    July to September away, on Worcestershire's page or on the combined pages."""
    later = (PERIOD[1] + timedelta(days=1), date(2026, 9, 30))
    for first, again in (("4", "7"), ("5", "8"), ("6", None)):
        organisation = reported(worcestershire, {"DI3": pair(first, "50")})
        if again:
            reported(
                worcestershire, {"DI3": pair(again, "50")}, organisation=organisation, period=later
            )
    build.rebuild()
    db.session.commit()
    quarters = {quarter_of(PERIOD[1]).key, quarter_of(later[1]).key}
    for address, code in (
        ("/c/worcestershire/impact.json?x=1", "DI3"),
        ("/charters/impact.json", CARERS),
        ("/charters/impact.json?region=west-midlands", CARERS),
    ):
        response = client_request.client.get(address)
        figures = json.loads(response.get_data(as_text=True))["figures"]
        cells = {
            r["period"]: r for r in figures if r["measure_code"] == code and r["breakdown"] == "all"
        }
        assert cells[YEAR.key]["organisations"] in (3, None), address
        withheld = [key for key in (YEAR.key, *quarters) if cells[key]["suppressed"]]
        assert len(withheld) != 1, (address, withheld)
        assert cells[quarter_of(later[1]).key]["suppressed"], address


def test_a_pair_with_a_reference_keeps_its_charter_s_key(client_request, worcestershire):
    """A reference adds up charters' figures given in one unit; a pair's parts may be in other
    units in another charter, so a pair keeps its charter's key and is shown with its labels."""
    carers = db.session.scalar(
        select(Measure).where(Measure.scheme_id == worcestershire.id, Measure.code == "DI3")
    )
    carers.reference = "NT99"
    db.session.commit()
    for first in ("4", "5", "6"):
        reported(worcestershire, {"DI3": pair(first, "50")})
    build.rebuild()
    db.session.commit()
    shown = totals(client_request, {})
    assert row_of(shown, f"{TITLE}: Carers identified") == ["15", "3"]
    assert row_of(shown, f"{TITLE}: Staff with flexible working") == ["50% on average", "3"]
    response = client_request.client.get("/charters/impact.json")
    codes = {r["measure_code"] for r in json.loads(response.get_data(as_text=True))["figures"]}
    assert {CARERS, f"{CARERS}.2"} <= codes and not codes & {"NT99", "NT99.2"}
