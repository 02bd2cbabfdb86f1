"""Each charter's /impact counts the figures counted for it (issue 20): its own signings'
returns, and a figure another charter's return gave for a measure of the same reference, on
the contracts whose commissioner takes part in it. Shropshire's LE5 and Cheshire West's CW1 are
both NT10 (weeks of apprenticeships, per contract) in the real scheme files."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    AuditEvent,
    ContractFigure,
    ImpactCell,
    ImpactLifecycleCount,
    Measure,
    MonitoringReturn,
    ReturnLine,
)
from charter.models.signing import acting_in
from charter.services.domain import counted_figures, signings
from charter.services.domain.charter_commissioners import set_taking_part
from charter.services.domain.lifecycle import system_actor, transition
from charter.services.domain.schemes import load_scheme_text
from charter.services.read_models.impact import figures
from charter.services.read_models.impact.periods import year_of
from tests.factories import make_commissioner, make_contract, make_organisation
from tests.services.read_models.impact_helpers import contributor, rebuild

Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@pytest.fixture
def cheshire_west(app, scheme):
    root = Path(current_app.root_path).parent / "schemes"
    text = (root / "cheshire-west-and-chester.toml").read_text(encoding="utf-8")
    loaded = load_scheme_text(text).scheme
    db.session.commit()
    return loaded


def cell(charter_id, code, dimension="all", value="", period="2026-27"):
    """A charter's cell, or (``charter_id`` None) every charter's together."""
    charter = ImpactCell.charter_id
    return db.session.scalar(
        select(ImpactCell).where(
            charter.is_(None) if charter_id is None else charter == charter_id,
            ImpactCell.period_key == period,
            ImpactCell.measure_code == code,
            ImpactCell.dimension == dimension,
            ImpactCell.dimension_value == value,
        )
    )


def a_return(organisation, signing_id, measure, figures_by_contract, period=Q2):
    """A verified return of one per-contract measure: its line is the sum of the figures."""
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signing_id,
        period_start=period[0],
        period_end=period[1],
        due_date=period[1] + timedelta(days=30),
        status="verified",
    )
    total = sum(Decimal(v) for v in figures_by_contract.values())
    line = ReturnLine(measure_id=measure.id, actual_value=total, narrative="Done")
    monitoring_return.lines = [line]
    db.session.add(monitoring_return)
    db.session.flush()
    db.session.add_all(
        ContractFigure(return_line_id=line.id, contract_id=c.id, value=Decimal(v))
        for c, v in figures_by_contract.items()
    )
    db.session.commit()
    return monitoring_return


@pytest.fixture
def world(scheme, cheshire_west):
    both = make_commissioner("Countess of Chester Hospital")  # takes part in both charters
    set_taking_part(both, cheshire_west.charter_id, True)
    shropshire_only = make_commissioner("Shropshire Council")
    organisation, measures = contributor(scheme, "Shrewsbury")
    second = signings.start(organisation, cheshire_west)
    second.status = "monitoring"
    db.session.commit()
    cw1 = db.session.scalar(
        select(Measure).where(Measure.scheme_id == cheshire_west.id, Measure.code == "CW1")
    )
    return {
        "organisation": organisation,
        "le5": measures["LE5"],
        "cw1": cw1,
        "cw_signing": second,
        "both": make_contract(organisation, both),
        "both_commissioner": both,
        "shropshire_only": make_contract(organisation, shropshire_only),
    }


def test_one_return_s_figures_count_for_both_charters(scheme, cheshire_west, world):
    organisation = world["organisation"]
    a_return(
        organisation,
        signings.signing_id_of(organisation),
        world["le5"],
        {world["both"]: "10", world["shropshire_only"]: "4"},
    )
    rebuild()

    shropshire, cw = scheme.charter_id, cheshire_west.charter_id
    assert cell(shropshire, "LE5").total == Decimal("14")
    # Cheshire West counts the contract whose commissioner takes part in it, under its CW1.
    assert (cell(cw, "CW1").total, cell(cw, "CW1").organisations) == (Decimal("10"), 1)
    by_commissioner = cell(cw, "CW1", "commissioner", "Countess of Chester Hospital")
    assert by_commissioner.total == Decimal("10")
    assert cell(cw, "CW1", "commissioner", "Shropshire Council") is None
    assert cell(cw, "LE5") is None and cell(shropshire, "CW1") is None

    # Each charter's page reads its own.
    with acting_in(cw):
        assert [p.key for p in figures.available_periods()]
        measures = figures.measures_of(cheshire_west)
        shown = {
            f.measure.code: f.total
            for f in figures.headline(figures.parse_period("2026-27"), measures, None)
        }
    assert shown["CW1"] == Decimal("10")


def test_a_figure_the_charter_s_own_return_gives_counts_instead(scheme, cheshire_west, world):
    organisation = world["organisation"]
    a_return(
        organisation, signings.signing_id_of(organisation), world["le5"], {world["both"]: "10"}
    )
    a_return(organisation, world["cw_signing"].id, world["cw1"], {world["both"]: "7"})
    rebuild()
    assert cell(cheshire_west.charter_id, "CW1").total == Decimal("7")
    assert cell(scheme.charter_id, "LE5").total == Decimal("10")


def test_an_organisation_that_has_not_signed_the_charter_counts_nowhere_else(
    scheme, cheshire_west, world
):
    other, measures = contributor(scheme, "Oswestry")
    contract = make_contract(other, world["both_commissioner"])
    a_return(other, signings.signing_id_of(other), measures["LE5"], {contract: "10"})
    rebuild()
    assert cell(scheme.charter_id, "LE5").total == Decimal("10")
    assert cell(cheshire_west.charter_id, "CW1") is None


def test_an_organisation_s_progress_reads_the_figures_counted_for_its_charter(app, scheme, world):
    """Its page reads them with a statement built once for the charter's measures, and one
    built again when those change (a charter that shares a measure's reference arrives)."""
    organisation = world["organisation"]
    a_return(organisation, world["cw_signing"].id, world["cw1"], {world["both"]: "7"})
    cw = world["cw1"]

    def counted(charter_id, organisation_id):
        statement = counted_figures.of_organisation(charter_id)
        rows = db.session.execute(statement, {"organisation_id": organisation_id}).all()
        return statement, [(code, value) for code, value, _start, _end in rows]

    statement, rows = counted(scheme.charter_id, organisation.id)
    # Cheshire West's CW1 figure counts for Shropshire under LE5 (the same NT10).
    assert rows == [("LE5", Decimal("7.00"))]
    assert counted(scheme.charter_id, organisation.id)[0] is statement
    other, _ = contributor(scheme, "Oswestry")
    assert counted(scheme.charter_id, other.id)[1] == []

    cw.reference = None  # Shropshire's LE5 now shares its reference with no one
    db.session.commit()
    rebuilt, rows = counted(scheme.charter_id, organisation.id)
    assert rebuilt is not statement and rows == []


def test_each_charter_counts_its_own_signings_lifecycle(scheme, cheshire_west, world):
    organisation = world["organisation"]
    with acting_in(cheshire_west.charter_id):
        transition(organisation, "lapse", system_actor(), reason="No return")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.signing_id == world["cw_signing"].id
    rebuild()
    counts = db.session.execute(
        select(ImpactLifecycleCount.charter_id, ImpactLifecycleCount.event)
    ).all()
    assert (cheshire_west.charter_id, "lapse") in counts
    assert (scheme.charter_id, "lapse") not in counts


def test_every_charter_together_counts_each_figure_once(app, scheme, cheshire_west, world):
    """The combined rows: the Shropshire return's NT10 figure, counted in both charters, counts
    once together, whole (both contracts); with a second organisation's Cheshire West figure of
    the same reference it adds up across the charters."""
    organisation = world["organisation"]
    a_return(
        organisation,
        signings.signing_id_of(organisation),
        world["le5"],
        {world["both"]: "10", world["shropshire_only"]: "4"},
    )
    cw_only = make_organisation(scheme=cheshire_west, status="monitoring")
    a_return(
        cw_only,
        signings.signing_id_of(cw_only),
        world["cw1"],
        {make_contract(cw_only, world["both_commissioner"]): "7"},
    )
    rebuild()
    together = cell(None, "NT10")
    assert (together.total, together.organisations) == (Decimal("21"), 2)
    assert together.monetised is None  # each charter values figures with its own proxies
    assert cell(cheshire_west.charter_id, "CW1").total == Decimal("17")
    assert cell(scheme.charter_id, "LE5").total == Decimal("14")
    # A measure no other charter shares keeps its charter's key.
    assert cell(None, "LE5") is None


def test_the_combined_page_shows_each_figure_once(app, client, scheme, cheshire_west, world):
    organisations = [world["organisation"]]
    for _ in range(2):
        other = make_organisation(scheme=scheme, status="monitoring")
        signings.start(other, cheshire_west).status = "monitoring"
        db.session.commit()
        organisations.append(other)
    for weeks, organisation in zip(("10", "20", "30"), organisations, strict=True):
        contract = make_contract(organisation, world["both_commissioner"])
        a_return(
            organisation, signings.signing_id_of(organisation), world["le5"], {contract: weeks}
        )
    rebuild()
    page = client.get(f"/charters/impact?period={year_of(Q2[1]).key}").get_data(as_text=True)
    assert "What the charters deliver together" in page
    row = page.split("NT10", 1)[1].split("</tr>", 1)[0]
    # 60 weeks once, not 120: each figure counts in both charters, once together.
    assert "60 weeks" in row and ">3<" in row
    assert "Cheshire West and Chester" in row and "CW1" in row and "LE5" in row
    bad = client.get("/charters/impact?period=nonsense")
    assert bad.status_code == 400 and "Choose a period from the list" in bad.get_data(as_text=True)
