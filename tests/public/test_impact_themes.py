"""Cheshire West and Chester's /impact by theme and by priority (issue 21), on its real scheme
file: each theme's and each priority's figures, and their worth in pounds only where every
figure in it is shown and has a proxy value."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, ProxyValue, ReturnLine
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from charter.services.read_models.impact import build
from charter.services.read_models.impact.periods import year_of
from tests.factories import make_organisation
from tests.public.impact_page_helpers import tables

CW = "cheshire-west-and-chester"
PERIOD = (date(2026, 4, 1), date(2026, 6, 30))
YEAR = year_of(PERIOD[1])


@pytest.fixture
def cheshire_west(app, scheme):
    root = Path(current_app.root_path).parent / "schemes"
    loaded = load_scheme_text((root / f"{CW}.toml").read_text(encoding="utf-8")).scheme
    db.session.commit()
    return loaded


def verified(scheme, figures: dict[str, str]) -> None:
    """An organisation signed to the charter with one verified return of ``figures``."""
    organisation = make_organisation(scheme=scheme, status="monitoring")
    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signings.signing_id_of(organisation),
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        due_date=PERIOD[1] + timedelta(days=30),
        status="verified",
    )
    monitoring_return.lines = [
        ReturnLine(measure_id=measures[code].id, actual_value=Decimal(value), narrative="Done")
        for code, value in figures.items()
    ]
    db.session.add(monitoring_return)
    db.session.commit()


def proxy(scheme, code: str, value: str) -> None:
    db.session.add(
        ProxyValue(
            scheme_slug=scheme.slug,
            measure_code=code,
            value=Decimal(value),
            effective_from=date(2020, 1, 1),
        )
    )
    db.session.commit()


def page(client, slug: str = CW) -> dict:
    response = client.get(f"/c/{slug}/impact?period={YEAR.key}")
    assert response.status_code == 200
    return tables(response.get_data(as_text=True))


def test_totals_by_theme_and_priority(client, cheshire_west):
    for weeks, hours in (("10", "5"), ("20", "6"), ("30", "7")):
        verified(cheshire_west, {"CW1": weeks, "CW2": "2", "CW7": hours})
    proxy(cheshire_west, "CW1", "100")
    proxy(cheshire_west, "CW2", "10")
    proxy(cheshire_west, "CW7", "15")
    build.rebuild()
    db.session.commit()

    shown = page(client)
    themes = {row[0]: row[1:] for row in shown[f"Totals by theme, {YEAR.long_label}"]}
    assert list(themes) == ["Jobs", "Growth", "Social", "Environment"]
    # Jobs: 60 weeks of apprenticeships (£6,000) and 6 of training (£60).
    assert "CW1 Weeks of apprenticeships: 60 weeks" in themes["Jobs"][0]
    assert "CW2 Weeks of training: 6 weeks" in themes["Jobs"][0]
    assert themes["Jobs"][1] == "£6,060"
    assert themes["Social"][1] == "£270"
    assert themes["Growth"] == ["CW5", "No verified figures yet"]
    priorities = {row[0]: row[1:] for row in shown[f"Totals by priority, {YEAR.long_label}"]}
    # The council's priorities, in its order; each served by the themes that name it.
    assert next(iter(priorities)).startswith("Tackle the climate emergency")
    fairer = next(k for k in priorities if k.startswith("A fairer future"))
    assert "Served by: Jobs, Growth, Social" in fairer
    assert priorities[fairer][1] == "£6,330"  # Jobs and Social: each measure once
    climate = next(k for k in priorities if k.startswith("Tackle the climate"))
    assert priorities[climate][1] == "No verified figures yet"


def test_a_withheld_figure_withholds_its_theme_s_total(client, cheshire_west):
    for weeks in ("10", "20", "30"):
        verified(cheshire_west, {"CW1": weeks})
    verified(cheshire_west, {"CW2": "4"})  # from one organisation: withheld
    proxy(cheshire_west, "CW1", "100")
    proxy(cheshire_west, "CW2", "10")
    build.rebuild()
    db.session.commit()

    themes = {row[0]: row[1:] for row in page(client)[f"Totals by theme, {YEAR.long_label}"]}
    assert themes["Jobs"][1] == "Not shown: a figure in it is withheld"
    assert "£" not in " ".join(themes["Jobs"])


def test_a_figure_without_a_proxy_value_leaves_no_pounds_total(client, cheshire_west):
    for hours in ("5", "6", "7"):
        verified(cheshire_west, {"CW7": hours})
    build.rebuild()
    db.session.commit()
    themes = {row[0]: row[1:] for row in page(client)[f"Totals by theme, {YEAR.long_label}"]}
    assert themes["Social"] == [
        "CW7 Hours of staff volunteering: 18 hours",
        "No proxy value for every measure in it",
    ]


def test_a_scheme_without_themes_shows_no_such_section(client, scheme):
    response = client.get("/c/shropshire/impact")
    assert "By theme and priority" not in response.get_data(as_text=True)


def test_a_scheme_whose_themes_serve_no_priorities_shows_themes_alone(client, scheme):
    """Worcestershire's five themes serve no priorities of the council's: the page groups by
    theme and has no empty table of priorities."""
    root = Path(current_app.root_path).parent / "schemes"
    worcestershire = load_scheme_text(
        (root / "worcestershire.toml").read_text(encoding="utf-8")
    ).scheme
    db.session.commit()
    for people in ("10", "20", "30"):
        verified(worcestershire, {"CD1": people})
    build.rebuild()
    db.session.commit()
    text = client.get(f"/c/worcestershire/impact?period={YEAR.key}").get_data(as_text=True)
    shown = page(client, "worcestershire")
    assert "By theme," in text and "By theme and priority" not in text
    assert [row[0] for row in shown[f"Totals by theme, {YEAR.long_label}"]][:1] == [
        "Community Development"
    ]
    assert not any(caption.startswith("Totals by priority") for caption in shown)
