"""Protection of withheld figures on generated data with many small cells: whatever the mix of
organisations, districts, sectors, commissioners and quarters, the outside check
(`disclosure_attack`: linear programs over every published relation) cannot tell any withheld
figure, or its pounds, to within 20% of its upper end."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from charter.services.read_models.impact.disclosure import Protection, relations, withhold
from charter.services.read_models.impact.periods import parse_period, year_of
from charter.services.read_models.impact.protection import (
    Constraint,
    NoSolution,
    intervals,
    unprotected,
)
from tests.services.read_models.disclosure_attack import recovered

THRESHOLD, SHARE = 3, 0.2
QUARTERS = ("2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4")
CENT = Decimal("0.01")


def _ratios():
    """LE1 pounds per pound 1.00, LE4 per FTE 12,000 then 14,500 from 2025-Q2: a proxy that
    changes inside a year, so a year's pounds are not its figure times one number."""
    out = {}
    for quarter in QUARTERS:
        out[("LE1", quarter)] = 1.0
        out[("LE4", quarter)] = 12000.0 if quarter < "2025-Q2" else 14500.0
    return out


def generate(seed: int, organisations: int, districts: int, sectors: int, commissioners: int):
    """Cells as the rebuild adds them up: key -> (organisations, value, pounds)."""
    rng = random.Random(seed)
    ratios = _ratios()
    members, values, pounds = defaultdict(set), defaultdict(Decimal), defaultdict(Decimal)
    latest: dict = {}  # stocks: (org, measure, period) -> (quarter, value)
    percent: dict = {}
    for org in range(organisations):
        places = [
            ("all", ""),
            ("district", f"D{rng.randrange(districts)}"),
            ("sector", f"S{rng.randrange(sectors)}"),
            ("organisation_type", rng.choice(("business", "vcse"))),
        ]
        contracts = rng.sample(range(commissioners), rng.randint(0, min(2, commissioners)))
        for quarter in QUARTERS:
            if rng.random() < 0.45:
                continue
            periods = (quarter, year_of(parse_period(quarter).end).key, "all")
            money = Decimal(rng.randint(1, 5000)) * 10
            fte = Decimal(rng.randint(1, 40)) / 2
            share_local = Decimal(rng.randint(0, 100))
            for period in periods:
                for dimension, value in places:
                    key = (period, "LE1", dimension, value)
                    members[key].add(org)
                    values[key] += money
                    pounds[key] += money * Decimal(str(ratios[("LE1", quarter)]))
                    for code, figure in (("LE4", fte), ("LE8", share_local)):
                        latest[(org, (period, code, dimension, value))] = (quarter, figure)
                for number in contracts:  # some of the figure on each contract
                    key = (period, "LE1", "commissioner", f"C{number}")
                    share = (money / (len(contracts) + 1)).quantize(CENT)
                    members[key].add(org)
                    values[key] += share
                    pounds[key] += share * Decimal(str(ratios[("LE1", quarter)]))
    for (org, key), (quarter, figure) in latest.items():  # stocks: latest figure each
        members[key].add(org)
        if key[1] == "LE4":
            values[key] += figure
            pounds[key] += figure * Decimal(str(ratios[("LE4", quarter)]))
        else:
            percent[key] = percent.get(key, Decimal(0)) + figure
    cells = {}
    for key, orgs in members.items():
        if key[1] == "LE8":
            cells[key] = (len(orgs), (percent[key] / len(orgs)).quantize(CENT), None)
        else:
            cells[key] = (len(orgs), values[key], pounds[key])
    return cells, ratios


def _rows(cells, hidden):
    units = {"LE1": "GBP", "LE4": "FTE", "LE8": "percent"}
    return [
        {
            "period": key[0],
            "measure_code": key[1],
            "unit": units[key[1]],
            "breakdown": key[2],
            "breakdown_value": key[3],
            "value": None if key in hidden else str(value),
            "value_in_pounds": None if key in hidden or money is None else str(money),
            "suppressed": key in hidden,
        }
        for key, (_count, value, money) in cells.items()
    ]


def _protect(cells, ratios):
    found = relations(cells, {"LE1"}, {"LE8"})
    protection = Protection(SHARE, ratios, frozenset({"LE8"}))
    small, complementary = withhold(cells, found, THRESHOLD, protection)
    return small, complementary


@pytest.mark.parametrize(
    "seed, organisations, districts, sectors, commissioners",
    [(1, 8, 3, 2, 2), (2, 25, 5, 4, 3), (3, 60, 7, 9, 4), (4, 15, 6, 6, 1)],
)
def test_no_withheld_figure_can_be_told_closely(
    seed, organisations, districts, sectors, commissioners
):
    cells, ratios = generate(seed, organisations, districts, sectors, commissioners)
    small, complementary = _protect(cells, ratios)
    counts = {key: cell[0] for key, cell in cells.items()}

    assert small == {k for k, cell in cells.items() if cell[0] < THRESHOLD}
    assert small, "the generator makes small cells"
    assert recovered(_rows(cells, small | complementary), ratios, counts, SHARE) == {}


def test_primary_suppression_alone_gives_figures_away():
    """The check finds what the threshold alone would give away (so it checks something)."""
    cells, ratios = generate(2, 25, 5, 4, 3)
    small = {k for k, cell in cells.items() if cell[0] < THRESHOLD}
    counts = {key: cell[0] for key, cell in cells.items()}

    assert recovered(_rows(cells, small), ratios, counts, SHARE)


def test_the_issue_example_is_found_and_closed():
    """LE1 in the issue: the year's total less business gives VCSE's year, and that less a
    shown quarter gives VCSE's other quarter. The old rule withheld VCSE's year, business's
    July to September and VCSE's July to September: two withheld cells in each relation, and
    yet one given away. The check finds it; the suppression closes it."""
    cells = {
        ("2026-27", "LE1", "all", ""): (18, Decimal(1476310), None),
        ("2026-27", "LE1", "organisation_type", "business"): (13, Decimal(1072270), None),
        ("2026-27", "LE1", "organisation_type", "vcse"): (5, Decimal(404040), None),
        ("2026-Q2", "LE1", "all", ""): (18, Decimal(1098840), None),
        ("2026-Q2", "LE1", "organisation_type", "business"): (13, Decimal(864870), None),
        ("2026-Q2", "LE1", "organisation_type", "vcse"): (5, Decimal(233970), None),
        ("2026-Q3", "LE1", "all", ""): (5, Decimal(377470), None),
        ("2026-Q3", "LE1", "organisation_type", "business"): (3, Decimal(207400), None),
        ("2026-Q3", "LE1", "organisation_type", "vcse"): (2, Decimal(170070), None),
    }
    old_rule = {
        ("2026-27", "LE1", "organisation_type", "vcse"),
        ("2026-Q3", "LE1", "organisation_type", "business"),
        ("2026-Q3", "LE1", "organisation_type", "vcse"),
    }
    counts = {key: cell[0] for key, cell in cells.items()}
    found = relations(cells, {"LE1"})
    protected = set().union(*withhold(cells, found, THRESHOLD, Protection(SHARE, {})))

    told = recovered(_rows(cells, old_rule), {}, counts, SHARE)
    vcse_q3 = (("2026-Q3", "LE1", "organisation_type", "vcse"), "value")
    assert told[vcse_q3].low == pytest.approx(170070, abs=1)
    assert told[vcse_q3].high == pytest.approx(170070, abs=1)
    assert recovered(_rows(cells, protected), {}, counts, SHARE) == {}


def test_intervals_of_a_small_program():
    """x + y = 10 and y <= z + 2: x and y anywhere in 0..10, z unbounded above."""
    constraints = [
        Constraint((("x", 1.0), ("y", 1.0)), 10.0, 10.0),
        Constraint((("y", 1.0), ("z", -1.0)), float("-inf"), 2.0),
    ]

    found = intervals(constraints, {}, ["x", "y", "z", "w"])

    assert (found["x"].low, found["x"].high) == (0, 10)
    assert found["z"].high == float("inf") and found["w"].protects(SHARE)
    assert intervals(constraints, {"z": 0.0}, ["y"])["y"].high == pytest.approx(2)


def test_figures_that_do_not_add_up_are_not_taken_as_protected():
    """An outside check with wrong relations fails loudly; the rebuild withholds more instead."""
    constraints = [Constraint((("x", 1.0), ("y", 1.0)), 10.0, 10.0)]
    known = {"y": 12.0}  # x would be -2

    with pytest.raises(NoSolution):
        intervals(constraints, known, ["x"])
    assert unprotected(constraints, known, {"x": 0.5}, SHARE) == {"x"}
