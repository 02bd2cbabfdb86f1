"""An outside check of the published impact figures, as an attacker would run it.

From the rows of /impact.json alone (plus, as a worst case, each percentage cell's number of
organisations and the proxy values anyone can read on /impact), it writes down every relation
the published tables obey — breakdowns add up to their totals (commissioners' to at most the
total; percentages as averages weighted by organisations), quarters to their financial year and
years to all time for flows, a quarter's pounds are its figure times the proxy value — and
solves, for every withheld figure and its pounds, the least and greatest value consistent with
all of it (`protection`: HiGHS linear programs). Its relations are built here from the rows'
keys, not by the service's own code, so the check is independent of the suppression it checks.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from charter.models.scheme import FLOW_UNITS
from charter.services.read_models.impact.periods import QUARTER, YEAR, parse_period, year_of
from charter.services.read_models.impact.protection import Constraint, Interval, intervals

SLACK = 0.005  # figures to the penny, percentages to 2 places


def _key(row):
    return (row["period"], row["measure_code"], row["breakdown"], row["breakdown_value"])


def _sums(total, parts, exact=True):
    """Constraints total = sum(parts) (<= when not exact) on figures and on pounds."""
    out = []
    for quantity in ("value", "pounds"):
        terms = [((total, quantity), 1.0)] + [((p, quantity), -1.0) for p in parts]
        slack = SLACK * len(terms)
        out.append(Constraint(tuple(terms), -slack, slack if exact else float("inf")))
    return out


def published_relations(rows, ratios, counts):
    """Every linear relation among the rows. ``ratios`` maps (measure code, quarter key) to the
    proxy value in force; ``counts`` maps a percentage cell's key to its organisations."""
    units = {row["measure_code"]: row["unit"] for row in rows}
    keys = {_key(row) for row in rows}
    constraints = []
    breakdowns = defaultdict(list)
    over_time = defaultdict(lambda: defaultdict(list))
    for period, code, dimension, value in keys:
        if dimension != "all":
            breakdowns[(period, code, dimension)].append((period, code, dimension, value))
        kind = parse_period(period)
        if units[code] in FLOW_UNITS and kind is not None and kind.kind in (QUARTER, YEAR):
            bigger = year_of(kind.end).key if kind.kind == QUARTER else "all"
            over_time[(code, dimension, value)][bigger].append(period)
    for (period, code, dimension), parts in breakdowns.items():
        total = (period, code, "all", "")
        if total not in keys:
            continue
        if units[code] == "percent":
            terms = [((total, "value"), float(counts[total]))]
            terms += [((p, "value"), -float(counts[p])) for p in parts]
            slack = SLACK * 2 * counts[total]
            constraints.append(Constraint(tuple(terms), -slack, slack))
        else:
            constraints += _sums(total, parts, exact=dimension != "commissioner")
    for (code, dimension, value), groups in over_time.items():
        for bigger, periods in groups.items():
            total = (bigger, code, dimension, value)
            if total in keys:
                constraints += _sums(total, [(p, code, dimension, value) for p in periods])
    for key in keys:
        ratio = ratios.get((key[1], key[0]))
        if ratio is not None:
            terms = (((key, "pounds"), 1.0), ((key, "value"), -ratio))
            constraints.append(Constraint(terms, -SLACK * (1 + ratio), SLACK * (1 + ratio)))
    return constraints


def _known(rows):
    known = {}
    for row in rows:
        if not row["suppressed"]:
            known[(_key(row), "value")] = float(Decimal(row["value"]))
            pounds = row["value_in_pounds"]
            known[(_key(row), "pounds")] = float(Decimal(pounds)) if pounds is not None else 0.0
    return known


def withheld_intervals(rows, ratios, counts, published=None) -> dict[tuple, Interval]:
    """The least and greatest value of every withheld figure and its pounds. ``published``
    maps a cell's key to the (value, pounds) of its organisations that publish their own
    figures: known to anyone, so the least the cell can be (an average's share for a
    percentage)."""
    targets = [(_key(row), q) for row in rows if row["suppressed"] for q in ("value", "pounds")]
    upper = {
        (_key(row), "value"): 100.0
        for row in rows
        if row["unit"] == "percent" and row["suppressed"]
    }
    lower = {}
    for row in rows:
        key = _key(row)
        if row["suppressed"] and key in (published or {}):
            value, pounds = published[key]
            lower[(key, "value")] = value / counts[key] if row["unit"] == "percent" else value
            lower[(key, "pounds")] = pounds
    constraints = published_relations(rows, ratios, counts)
    return intervals(constraints, _known(rows), targets, upper, lower)


def recovered(rows, ratios, counts, share: float, published=None) -> dict[tuple, Interval]:
    """The withheld figures (and pounds) someone could tell to within ``share`` of their upper
    end, less what is published of them anyway: {} when every withheld figure is protected."""
    found = withheld_intervals(rows, ratios, counts, published)
    return {variable: i for variable, i in found.items() if not i.protects(share)}
