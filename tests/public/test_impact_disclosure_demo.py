"""The demo's /impact.json, attacked from outside: no withheld figure can be worked out from
the published ones, by the issue's subtraction or by linear programming over every published
relation; the JSON and the CSV carry nothing of a withheld figure."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import ImpactCell, MonitoringReturn, Organisation, Signing
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import FLOW_UNITS
from charter.services.domain import proxy_values
from charter.services.domain.schemes import current_scheme
from charter.services.read_models.impact import figures, scopes
from charter.services.read_models.impact.periods import parse_period, quarter_of, year_of
from charter.services.read_models.impact.published import published_figures_of
from tests.services.read_models.disclosure_attack import recovered


@pytest.fixture
def demo_rows(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["charter", "load-scheme"]).exit_code == 0
    result = runner.invoke(args=["charter", "demo-data"])
    assert result.exit_code == 0, result.output
    return client.get("/c/shropshire/impact.json").get_json()["figures"]


def _attacker_knowledge():
    """The proxy values (on /impact for anyone), what publishing organisations reported
    (checked against the rebuild's own sums) and, as a worst case, every percentage cell's
    number of organisations."""
    ends = list(
        db.session.scalars(
            select(MonitoringReturn.period_end)
            .where(MonitoringReturn.status == RETURN_VERIFIED)
            .distinct()
        )
    )
    scheme = current_scheme()
    measures = {m.code: m for m in figures.measures_of(scheme)}
    counts = {
        (f.period_key, f.measure.code, f.dimension, f.dimension_value): f.organisations
        for f in figures.all_cells(None, measures)
    }
    published = _published_parts(ends)
    stored = {
        (c.period_key, c.measure_code, c.dimension, c.dimension_value): float(c.published_total)
        for c in db.session.scalars(
            select(ImpactCell).where(ImpactCell.published_organisations > 0)
        )
    }
    assert {k: round(v[0], 2) for k, v in published.items()} == pytest.approx(stored)
    return scopes.quarter_ratios(ends), counts, published


def _published_parts(ends) -> dict:
    """Each cell's part from the organisations that publish their own figures, added up as
    anyone could from what the register and the API show (each figure, its period and the
    organisation's district, sector and type): flows added up, stocks the latest figure."""
    proxy = {k: float(v) for k, v in proxy_values.in_force_at(ends).items() if v is not None}
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .join(Signing, Signing.organisation_id == Organisation.id)
            .where(Signing.publishes_figures.is_(True))
        )
    )
    by_id = published_figures_of([o.id for o in organisations])
    per_org: dict = {}  # (org, measure, period) -> (period end, value, pounds)
    for organisation in organisations:
        for entry in by_id.get(organisation.id, []):
            code, flow = entry.measure.code, entry.measure.unit in FLOW_UNITS
            for f in entry.figures:
                value = float(f.value)
                pounds = value * proxy.get((code, f.period_end), 0.0)
                for period in (quarter_of(f.period_end).key, year_of(f.period_end).key, "all"):
                    key = (organisation, code, period)
                    end, total, money = per_org.get(key, (f.period_end, 0.0, 0.0))
                    if flow:
                        per_org[key] = (end, total + value, money + pounds)
                    elif f.period_end >= end:
                        per_org[key] = (f.period_end, value, pounds)
    parts: dict = {}
    for (organisation, code, period), (_end, value, pounds) in per_org.items():
        for dimension in ("all", "district", "sector", "organisation_type"):
            place = "" if dimension == "all" else getattr(organisation, dimension) or ""
            key = (period, code, dimension, place)
            total, money = parts.get(key, (0.0, 0.0))
            parts[key] = (total + value, money + pounds)
    return parts


def test_no_withheld_demo_figure_can_be_worked_out(demo_rows):
    """Knowing too what the organisations that publish their own figures reported (the
    register and the API show it): the rest of each withheld figure stays protected."""
    ratios, counts, published = _attacker_knowledge()
    share = scheme_share()

    assert any(row["suppressed"] for row in demo_rows) and published
    assert recovered(demo_rows, ratios, counts, share, published) == {}


def scheme_share() -> float:
    return current_scheme().disclosure_protection_percent / 100


def test_the_issues_subtraction_gives_nothing(demo_rows):
    """For every flow measure, financial year and type of organisation: the year's total less
    the other type's year less the type's shown quarters would be its last quarter. Whenever
    every one of those is shown, so is that quarter (nothing is worked out)."""
    cells = {
        (r["period"], r["measure_code"], r["breakdown"], r["breakdown_value"]): r for r in demo_rows
    }
    for (period, code, dimension, kind), row in cells.items():
        quarter = parse_period(period)
        if dimension != "organisation_type" or quarter is None or quarter.kind != "quarter":
            continue
        if row["unit"] not in FLOW_UNITS:  # a stock's year is not the sum of its quarters
            continue
        year = year_of(quarter.end).key
        others = [k for k in cells if k[0] == year and k[1] == code and k[2] == dimension]
        quarters = [
            k
            for k in cells
            if k[1:] == (code, dimension, kind)
            and (p := parse_period(k[0])) is not None
            and p.kind == "quarter"
            and year_of(p.end).key == year
            and k[0] != period
        ]
        around = [(year, code, "all", ""), *[k for k in others if k[3] != kind], *quarters]
        if all(k in cells and not cells[k]["suppressed"] for k in around):
            assert not row["suppressed"], (period, code, kind)


def test_json_and_csv_carry_nothing_of_a_withheld_figure(client, demo_rows):
    withheld = [r for r in demo_rows if r["suppressed"]]
    assert withheld
    for row in withheld:
        assert row["value"] is None and row["value_in_pounds"] is None
        assert row["organisations"] is None
    text = client.get("/c/shropshire/impact.csv").get_data(as_text=True)
    for row in csv.DictReader(io.StringIO(text)):
        if row["suppressed"] == "yes":
            assert row["value"] == "" and row["value_in_pounds"] == ""
            assert not row["organisations"].isdigit()
