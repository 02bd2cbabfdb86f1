"""Disclosure control across scopes, through the public JSON: a figure withheld on one page
cannot be worked out by subtracting the figures other pages publish (`impact.across`).

Three charters in two regions: Shropshire and Worcestershire in the West Midlands, Cheshire West
in the North West. Shropshire's LE5 and Cheshire West's CW1 are both NT10 (weeks of
apprenticeships), so every charter's NT10 is the West Midlands' plus the North West's, and each
region's is its charters' (Worcestershire gives no NT10; its CD1 is its own key everywhere).
Cheshire West's two organisations are too few to show: every charter's total less the West
Midlands' (or less Shropshire's page) would tell it, unless the rebuild withholds one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_commissioner, make_contract, make_organisation
from tests.services.read_models.impact_helpers import contributor, rebuild
from tests.services.read_models.test_impact_per_charter import a_return


def _loaded(name: str):
    root = Path(current_app.root_path).parent / "schemes"
    loaded = load_scheme_text((root / name).read_text(encoding="utf-8")).scheme
    db.session.commit()
    return loaded


def _measure(scheme, code: str) -> Measure:
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )


@pytest.fixture
def three_charters(scheme):
    """Shropshire's LE5 from 3 organisations (10, 20, 30 weeks), Cheshire West's CW1 from 2 (1
    and 2 weeks), Worcestershire's CD1 from 3 (4, 5, 6), verified and rebuilt."""
    cheshire_west = _loaded("cheshire-west-and-chester.toml")
    worcestershire = _loaded("worcestershire.toml")
    commissioner = make_commissioner("Countess of Chester Hospital")
    for weeks in ("10", "20", "30"):
        organisation, measures = contributor(scheme, "Shrewsbury")
        contract = make_contract(organisation, commissioner)
        a_return(
            organisation, signings.signing_id_of(organisation), measures["LE5"], {contract: weeks}
        )
    for other, code, values in (
        (cheshire_west, "CW1", ("1", "2")),
        (worcestershire, "CD1", ("4", "5", "6")),
    ):
        measure = _measure(other, code)
        for value in values:
            organisation = make_organisation(scheme=other, status="monitoring")
            contract = make_contract(organisation, commissioner)
            a_return(organisation, signings.signing_id_of(organisation), measure, {contract: value})
    rebuild()
    return cheshire_west, worcestershire


# What an attacker knows: which published figures add up to which (the combined pages list what
# each charter calls each key). Each is (total, parts) by (address, measure code).
EVERY, WEST_MIDLANDS, NORTH_WEST = (
    "/charters/impact.json",
    "/charters/impact.json?region=west-midlands",
    "/charters/impact.json?region=north-west",
)
SHROPSHIRE, CHESHIRE_WEST, WORCESTERSHIRE = (
    "/c/shropshire/impact.json",
    "/c/cheshire-west-and-chester/impact.json",
    "/c/worcestershire/impact.json",
)
SUMS = [
    ((EVERY, "NT10"), [(WEST_MIDLANDS, "NT10"), (NORTH_WEST, "NT10")]),
    ((EVERY, "NT10"), [(SHROPSHIRE, "LE5"), (CHESHIRE_WEST, "CW1")]),
    ((WEST_MIDLANDS, "NT10"), [(SHROPSHIRE, "LE5")]),
    ((NORTH_WEST, "NT10"), [(CHESHIRE_WEST, "CW1")]),
    ((EVERY, "worcestershire/CD1"), [(WEST_MIDLANDS, "worcestershire/CD1")]),
    ((WEST_MIDLANDS, "worcestershire/CD1"), [(WORCESTERSHIRE, "CD1")]),
]


def published(client) -> dict:
    """Every figure of every public JSON: (address, period, code, breakdown, value) -> the
    figure, None where withheld."""
    found = {}
    for address in {a for total, parts in SUMS for a, _ in [total, *parts]}:
        response = client.get(address)
        assert response.status_code == 200, address
        for row in json.loads(response.data)["figures"]:
            key = (address, row["period"], row["measure_code"])
            key += (row["breakdown"], row["breakdown_value"])
            found[key] = None if row["suppressed"] else float(row["value"])
    return found


def recovered_by_subtraction(found: dict) -> list[tuple]:
    """The withheld figures that one sum with every other figure shown gives away (a figure
    missing from a page is 0), with the value it gives."""
    cells = {k[1:2] + k[3:] for k in found}
    out = []
    for (total, code), parts in SUMS:
        for period, dimension, value in cells:
            terms = [(total, code), *parts]
            keys = [(a, period, c, dimension, value) for a, c in terms]
            if keys[0] not in found:
                continue
            hidden = [k for k in keys if found.get(k, 0.0) is None]
            if len(hidden) != 1:
                continue
            known = {k: found.get(k, 0.0) for k in keys if k not in hidden}
            rest = sum(v for k, v in known.items() if k != keys[0])
            guess = known[keys[0]] - rest if hidden[0] != keys[0] else rest
            out.append((hidden[0], guess))
    return out


def test_no_withheld_figure_is_the_difference_of_published_ones(client, three_charters):
    found = published(client)
    north_west = (NORTH_WEST, "2026-27", "NT10", "all", "")
    assert found[north_west] is None  # two organisations: withheld
    assert found[(SHROPSHIRE, "2026-27", "LE5", "all", "")] == 60.0  # three: shown
    assert recovered_by_subtraction(found) == []


def test_the_withheld_part_s_total_is_withheld_not_its_sibling(client, three_charters):
    found = published(client)
    # The region's and Shropshire's own figures stay: every charter's total is withheld.
    assert found[(WEST_MIDLANDS, "2026-27", "NT10", "all", "")] == 60.0
    assert found[(EVERY, "2026-27", "NT10", "all", "")] is None
    document = json.loads(client.get(EVERY).data)
    headline = next(
        f
        for f in document["figures"]
        if (f["period"], f["measure_code"], f["breakdown"]) == ("2026-27", "NT10", "all")
    )
    assert headline["suppression"] == "complementary" and headline["organisations"] is None
    # Figures no withheld one depends on are untouched.
    assert found[(EVERY, "2026-27", "worcestershire/CD1", "all", "")] == 15.0
    assert found[(WORCESTERSHIRE, "2026-27", "CD1", "all", "")] == 15.0
