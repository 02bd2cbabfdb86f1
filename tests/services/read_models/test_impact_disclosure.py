"""Complementary suppression, by property: for random organisations and figures, no withheld
figure can be worked out by subtracting the shown ones from a shown total, unless the withheld
figures together come from at least the threshold of organisations (counted as real, distinct
organisations, so overlapping commissioner cells and quarters are judged by what they hide)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from charter.services.read_models.impact.disclosure import Relation, relations, withhold

THRESHOLD = 3
QUARTERS = ("2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
DISTRICTS = ("Oswestry", "Shrewsbury", "Ludlow", "")  # "" is the not-known bucket
COMMISSIONERS = ("Council", "NHS", "Police")

organisation = st.fixed_dictionaries(
    {
        "district": st.sampled_from(DISTRICTS),
        "sector": st.sampled_from(("Care", "Construction", "Other")),
        "quarters": st.lists(st.sampled_from(QUARTERS), min_size=1, max_size=4, unique=True),
        "commissioners": st.lists(st.sampled_from(COMMISSIONERS), max_size=3, unique=True),
        "value": st.integers(min_value=1, max_value=10_000),
    }
)


def _cells(organisations):
    """What the rebuild would add up for one flow measure: cell key -> organisations in it,
    and value. Quarters roll up into financial years and all time."""
    members, values = defaultdict(set), defaultdict(Fraction)
    year = {q: ("2025-26" if q < "2026-Q2" else "2026-27") for q in QUARTERS}
    for number, org in enumerate(organisations):
        for quarter in org["quarters"]:
            amount = Fraction(org["value"] + number)
            for period in (quarter, year[quarter], "all"):
                places = [("all", ""), ("district", org["district"]), ("sector", org["sector"])]
                places += [("commissioner", c) for c in org["commissioners"]]
                for dimension, value in places:
                    key = (period, "LE1", dimension, value)
                    members[key].add(number)
                    # Each commissioner gets an equal part of the figure, on its contract.
                    share = len(org["commissioners"]) if dimension == "commissioner" else 1
                    values[key] += amount / share
    return members, values


def _leaks(members, values, found, hidden):
    """Relations where a shown total minus its shown parts reveals withheld parts that come
    from fewer than THRESHOLD distinct organisations, or a withheld total is the sum of its
    shown parts. Commissioner cells add up to the total only when every organisation has a
    contract; otherwise nothing can be worked out from them."""
    leaks = []
    for relation in found:
        parts = [p for p in relation.parts if p in members]
        if sum(values[p] for p in parts) != values[relation.total]:
            continue
        withheld_parts = [p for p in parts if p in hidden]
        if relation.total in hidden:
            if parts and not withheld_parts:
                leaks.append(relation)
            continue
        together = set().union(*(members[p] for p in withheld_parts))
        if withheld_parts and len(together) < THRESHOLD:
            leaks.append(relation)
    return leaks


@settings(max_examples=300, deadline=None)
@given(st.lists(organisation, min_size=1, max_size=14))
def test_no_small_figure_can_be_worked_out_from_a_total(organisations):
    members, values = _cells(organisations)
    cells = {k: (len(members[k]), values[k]) for k in members}
    found = relations(cells, {"LE1"})

    small, complementary = withhold(cells, found, THRESHOLD)

    hidden = small | complementary
    assert small == {k for k, (count, _) in cells.items() if count < THRESHOLD}
    assert all(cells[k][0] >= THRESHOLD for k in complementary)
    assert _leaks(members, values, found, hidden) == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.integers(0, 5000)), min_size=1, max_size=8, unique=True
    )
)
def test_a_breakdown_withholds_at_most_one_cell_more_than_its_small_ones(parts):
    """One breakdown beside its total: the smallest shown cell is the one withheld with it."""
    cells = {("all",): (sum(n for n, _ in parts), Decimal(sum(v for _, v in parts)))}
    cells.update({(i,): (n, Decimal(v)) for i, (n, v) in enumerate(parts)})
    relation = Relation(("all",), tuple((i,) for i in range(len(parts))), True)

    small, complementary = withhold(cells, [relation], THRESHOLD)

    hidden_parts = [cells[k][0] for k in small | complementary if k != ("all",)]
    assert ("all",) in small or not hidden_parts or sum(hidden_parts) >= THRESHOLD
    assert len(complementary) <= 1
    if complementary:
        (chosen,) = complementary
        shown = [cells[k] for k in cells if k not in small and k != ("all",)]
        assert cells[chosen] == min(shown)


def test_a_lone_small_district_takes_the_next_smallest_with_it():
    cells = {
        ("all",): (12, Decimal(900)),
        ("Oswestry",): (1, Decimal(100)),
        ("Ludlow",): (4, Decimal(50)),
        ("Wem",): (4, Decimal(300)),
        ("Shrewsbury",): (3, Decimal(450)),
    }
    parts = (("Oswestry",), ("Ludlow",), ("Wem",), ("Shrewsbury",))

    small, complementary = withhold(cells, [Relation(("all",), parts, True)], THRESHOLD)

    assert small == {("Oswestry",)}
    assert complementary == {("Shrewsbury",)}  # fewest organisations, before smallest value


def test_overlapping_cells_need_one_withheld_cell_large_enough_on_its_own():
    """Two commissioner cells of 2 organisations each may be the same 2 organisations."""
    cells = {
        ("all",): (9, Decimal(900)),
        ("Council",): (2, Decimal(100)),
        ("NHS",): (2, Decimal(100)),
        ("Police",): (5, Decimal(300)),
        ("Fire",): (7, Decimal(400)),
    }
    parts = (("Council",), ("NHS",), ("Police",), ("Fire",))

    _, disjoint = withhold(cells, [Relation(("all",), parts, True)], THRESHOLD)
    _, overlapping = withhold(cells, [Relation(("all",), parts, False)], THRESHOLD)

    assert disjoint == set()  # 2 + 2 distinct organisations are 4
    assert overlapping == {("Police",)}


def test_a_small_quarter_beside_a_shown_year_takes_another_quarter_with_it():
    keys = [("2026-Q2", "LE1", "all", ""), ("2026-Q3", "LE1", "all", "")]
    keys += [("2026-Q4", "LE1", "all", ""), ("2026-27", "LE1", "all", "")]
    counts = {"2026-Q2": 5, "2026-Q3": 2, "2026-Q4": 6, "2026-27": 8}
    cells = {k: (counts[k[0]], Decimal(100)) for k in keys}

    small, complementary = withhold(cells, relations(cells, {"LE1"}), THRESHOLD)
    _, stocks = withhold(cells, relations(cells, set()), THRESHOLD)

    assert small == {("2026-Q3", "LE1", "all", "")}
    assert complementary == {("2026-Q2", "LE1", "all", "")}
    assert stocks == set()  # a stock's year is not the sum of its quarters
