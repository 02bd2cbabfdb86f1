"""Disclosure control across scopes (`impact.across`) over random small tables: whatever the
figures, no withheld figure of a charter, a region or every charter is one subtraction away from
published ones.

Each random table is a service of charters in regions (and perhaps one in none), each charter
with figures of one shared reference by district; every scope's figures are the sums the
rebuild makes (a region's of its charters', every charter's of all). The sums an attacker could
use are written down here, independently of the service's relations: each scope's headline is
its districts' sum, a region's figure its charters', every charter's its charters' and its
regions' with the charters in none."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from charter.models.impact import SCOPE_ALL
from charter.services.read_models.impact import across

THRESHOLD = 3
DISTRICTS = ("Ludlow", "Oswestry")
PERIOD = "2026-27"
SLUGS = {1: "shropshire", 2: "worcestershire", 3: "warwickshire", 4: "cheshire", 5: "halton"}


def _hierarchy(regions: dict[str, tuple[int, ...]], charters: list[int]) -> across.Hierarchy:
    scopes = [SCOPE_ALL, *regions]
    return across.Hierarchy(
        {c: SLUGS[c] for c in charters},
        regions,
        {scope: frozenset({"NT10"}) for scope in scopes},
        {c: {"LE5": "NT10"} for c in charters},
    )


def _table(draw_counts: dict[tuple[int, str], tuple[int, int]], regions, charters):
    """Every scope's cells from the charters' (organisations, value) by district."""
    cells: dict[tuple, tuple[int, float]] = {}

    def add(tag, code, district, count, value):
        for dimension, name in (("all", ""), ("district", district)):
            key = (tag, PERIOD, code, dimension, name)
            old = cells.get(key, (0, 0.0))
            cells[key] = (old[0] + count, old[1] + value)

    for (charter, district), (count, value) in draw_counts.items():
        if not count:
            continue
        add(across.charter_tag(charter), "LE5", district, count, value)
        add(SCOPE_ALL, "NT10", district, count, value)
        for scope, ids in regions.items():
            if charter in ids:
                add(scope, "NT10", district, count, value)
    return cells


def _sums(cells, regions, charters):
    """(total, parts) an attacker subtracts with."""
    out = []
    tags = {k[0] for k in cells}
    for tag in tags:
        code = "LE5" if isinstance(tag, tuple) else "NT10"
        parts = [(tag, PERIOD, code, "district", d) for d in DISTRICTS]
        out.append(((tag, PERIOD, code, "all", ""), parts))
    regioned = {c for ids in regions.values() for c in ids}
    for cell in [("all", ""), *(("district", d) for d in DISTRICTS)]:

        def own(charter, cell=cell):
            return (across.charter_tag(charter), PERIOD, "LE5", *cell)

        def combined(scope, cell=cell):
            return (scope, PERIOD, "NT10", *cell)

        for scope, ids in regions.items():
            out.append((combined(scope), [own(c) for c in ids]))
        out.append((combined(SCOPE_ALL), [own(c) for c in charters]))
        others = [own(c) for c in charters if c not in regioned]
        out.append((combined(SCOPE_ALL), [combined(s) for s in regions] + others))
    return out


def _given_away(cells, withheld, sums):
    """Withheld figures that one sum, every other figure of it shown, gives away (a figure
    not in the table is 0, and known)."""
    out = []
    for total, parts in sums:
        if total not in cells:
            continue
        hidden = [k for k in (total, *parts) if k in cells and k in withheld]
        if len(hidden) == 1:
            out.append(hidden[0])
    return out


@st.composite
def services(draw):
    charters = list(range(1, draw(st.integers(3, 5)) + 1))
    unregioned = draw(st.booleans())
    placed = charters[:-1] if unregioned else charters
    split = draw(st.integers(1, len(placed) - 1))
    regions = {"region:west-midlands": tuple(placed[:split])}
    regions["region:north-west"] = tuple(placed[split:])
    figures = {
        (c, d): (draw(st.integers(0, 5)), float(draw(st.integers(1, 50))))
        for c in charters
        for d in DISTRICTS
    }
    return charters, regions, figures


@settings(max_examples=300, deadline=None)
@given(services())
def test_no_withheld_figure_is_one_subtraction_away(service):
    charters, regions, figures = service
    cells = _table(figures, regions, charters)
    tags = {k[0] for k in cells}
    thresholds = dict.fromkeys(tags, THRESHOLD)
    units = {tag: {"LE5": "weeks", "NT10": "weeks"} for tag in tags}
    withheld = {k for k, (count, _) in cells.items() if count < THRESHOLD}
    relations = across.within(cells, units)
    relations += across.sums_that_hold(
        cells, across.candidates(cells, _hierarchy(regions, charters))
    )
    withheld |= across.withhold_across(cells, withheld, relations, thresholds)
    assert _given_away(cells, withheld, _sums(cells, regions, charters)) == []


def test_a_sum_that_does_not_hold_is_no_relation():
    """A charter that borrows figures into a cell (its page's figure more than its own) is no
    part of the region's sum there: subtracting it would not give the sibling's figure."""
    shropshire, worcestershire = across.charter_tag(1), across.charter_tag(2)
    cells = {
        ("region:west-midlands", PERIOD, "NT10", "all", ""): (5, 30.0),
        (shropshire, PERIOD, "LE5", "all", ""): (3, 28.0),  # 20 its own, 8 borrowed
        (worcestershire, PERIOD, "LE5", "all", ""): (2, 10.0),
    }
    hierarchy = _hierarchy({"region:west-midlands": (1, 2)}, [1, 2])
    found = across.sums_that_hold(cells, across.candidates(cells, hierarchy))
    assert [r.total[0] for r in found] == []
