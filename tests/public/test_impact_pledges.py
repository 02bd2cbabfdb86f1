"""Worcestershire's /impact (and its CSV and JSON) with the toolkit's pairs and achievements
(issue 21), through HTTP on its real scheme file: a pair shows both totals, each with its own
label and added up by its own unit's rule; an achievement shows how many organisations
achieved it, never a sum; both count only from verified returns whose figures are not flagged
(or were checked), and are withheld below the disclosure threshold like any figure."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, ReturnLine
from charter.services.domain import signings
from charter.services.read_models.impact import build
from charter.services.read_models.impact.periods import year_of
from tests.factories import make_organisation
from tests.organisation.pledge_helpers import load_worcestershire
from tests.public.impact_page_helpers import tables

PERIOD = (date(2026, 4, 1), date(2026, 6, 30))
YEAR = year_of(PERIOD[1])
CARERS = "Flexible Working for Carers"


@pytest.fixture
def worcestershire(app, scheme):
    return load_worcestershire()


def reported(
    scheme, lines: dict[str, dict], *, status="verified", organisation=None, period=PERIOD
):
    """An organisation signed to the charter (or ``organisation``) with one return of ``lines``
    (a line's columns by measure code) for ``period``; returns the organisation."""
    if organisation is None:
        organisation = make_organisation(scheme=scheme, status="monitoring", district="Worcester")
    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signings.signing_id_of(organisation),
        period_start=period[0],
        period_end=period[1],
        due_date=period[1] + timedelta(days=30),
        status=status,
    )
    monitoring_return.lines = [
        ReturnLine(measure_id=measures[code].id, narrative="Done", **columns)
        for code, columns in lines.items()
    ]
    db.session.add(monitoring_return)
    db.session.commit()
    return organisation


def pair(first: str, second: str) -> dict:
    return {"actual_value": Decimal(first), "second_value": Decimal(second)}


def achieved(yes: bool) -> dict:
    return {"achieved": yes, "achieved_on": PERIOD[0] + timedelta(days=10) if yes else None}


def totals(client) -> dict[str, list[str]]:
    response = client.get(f"/c/worcestershire/impact?period={YEAR.key}")
    assert response.status_code == 200
    rows = tables(response.get_data(as_text=True))[f"Totals by measure, {YEAR.long_label}"]
    return {row[0].split(":")[0]: row[1:3] for row in rows}


def test_a_pair_shows_both_totals_and_an_achievement_how_many_achieved_it(client, worcestershire):
    for first, second, yes in (("4", "50", True), ("5", "60", True), ("6", "70", True)):
        reported(worcestershire, {"DI3": pair(first, second), "DI2": achieved(yes)})
    reported(worcestershire, {"DI3": pair("1", "10"), "DI2": achieved(False)})
    # Not counted: a return not yet verified, and a flagged figure nobody has checked.
    reported(worcestershire, {"DI3": pair("100", "100"), "DI2": achieved(True)}, status="submitted")
    flagged = {**pair("900", "90"), "flag_reasons": ["more than usual"]}
    reported(worcestershire, {"DI3": flagged})
    build.rebuild()
    db.session.commit()

    shown = totals(client)
    assert shown["DI3"] == ["16", "4"]  # carers identified, added up
    assert shown["DI3.2"] == ["47.5% on average", "4"]  # staff with flexible working
    assert shown["DI2"] == ["3 organisations achieved it", "3"]  # the "no" is not one
    page = client.get(f"/c/worcestershire/impact?period={YEAR.key}").get_data(as_text=True)
    assert "Carers identified" in page and "Staff with flexible working arrangements" in page

    rows = list(csv.DictReader(io.StringIO(client.get("/c/worcestershire/impact.csv?x=1").text)))
    whole = {
        (r["measure_code"], r["period"]): r
        for r in rows
        if r["breakdown"] == "all" and r["period"] == YEAR.key
    }
    assert whole[("DI3", YEAR.key)]["value"] == "16.00"
    assert whole[("DI3.2", YEAR.key)]["unit"] == "percent"
    assert whole[("DI3.2", YEAR.key)]["value"] == "47.50"
    assert whole[("DI3.2", YEAR.key)]["measure_title"].endswith(
        ": Staff with flexible working arrangements"
    )
    assert (whole[("DI2", YEAR.key)]["unit"], whole[("DI2", YEAR.key)]["value"]) == (
        "achievement",
        "3.00",
    )
    document = json.loads(client.get("/c/worcestershire/impact.json?x=1").text)
    assert "DI3.2" in json.dumps(document)


@pytest.mark.parametrize(
    ("organisations", "shown"),
    [
        (2, ["fewer than 3 organisations", "fewer than 3"]),
        (3, ["3 organisations achieved it", "3"]),
    ],
)
def test_an_achievement_from_too_few_organisations_is_withheld(
    client, worcestershire, organisations, shown
):
    for _ in range(organisations):
        reported(worcestershire, {"DI2": achieved(True), "DI3": pair("2", "20")})
    build.rebuild()
    db.session.commit()
    figures = totals(client)
    assert figures["DI2"] == shown
    assert figures["DI3.2"][1] == shown[1]  # a pair's second figure: the same rule
