"""Disclosure control on the public impact figures: primary and secondary suppression over the
linked tables, to a fixed point, checked by linear programming.

Everything public (the /impact page, /impact.csv, /impact.json) reads the same summary rows with
the same flags, set once per rebuild here, so every surface withholds the same figures.

1. **Primary suppression.** A figure built from fewer organisations than the scheme's threshold
   (``[disclosure] min_organisations``, 3) is withheld; so is one where fewer than the
   threshold of its organisations do not publish their own figures (the register and the API
   show those, so the cell less them would be the others' figure). The protection below is of
   the part not published.
2. **Secondary (complementary) suppression.** Each published sum is a *relation*: a total and the
   parts that add up to it. Per measure and period, the headline total and the cells of each
   district, sector and type (each organisation in exactly one cell, blanks included); the
   headline total and the commissioner cells (these add up to *at most* the total: not every
   figure is on a listed contract); and for flows, in every cell, a financial year and its
   quarters, all time and its years. Stocks (FTE, percentages) take each organisation's latest
   figure, which is not a sum over time; percentages are averages weighted by organisations.
   A relation with exactly one withheld figure gives it away (the total less the rest), so
   another is withheld: the smallest shown part (fewest organisations, then smallest value),
   or a part of a withheld total. The withheld parts of a shown total must also come from at
   least the threshold of organisations together (counted as overlapping where they can).
   Withholding a cell can open another relation, so the rules run until nothing changes.
3. **Protection, by linear programming** (`protection`). Single relations are not the whole
   story: the LE1 year total less the business cell gives the VCSE year, and the VCSE year less
   a shown quarter gives the other quarter. So for every withheld figure (and its value in
   pounds, tied to the figure by the proxy value in force each quarter), the least and greatest
   value consistent with *every* shown figure and *every* relation is solved for; where that
   interval is narrower than the protection level (``protection_percent``, 20% of its upper
   end), a further cell in one of its relations is withheld (the smallest big enough to move it
   by that much), rules 2 and 3 run again, and so on to a fixed point. Withholding more only
   widens the other intervals, so a figure once protected stays protected and the loop ends.

This is the audit-and-repair approach of tau-Argus's "modular" and "hypercube" methods, not an
optimal one: it may withhold a few more cells than strictly needed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from math import inf

from charter.models.impact import DIMENSION_ALL, DIMENSION_COMMISSIONER
from charter.services.read_models.impact.periods import ALL, QUARTER, YEAR, parse_period, year_of
from charter.services.read_models.impact.protection import Constraint
from charter.services.read_models.impact.protection import unprotected as protection_check

Key = Hashable
VALUE, POUNDS = "value", "pounds"
# Figures are stored to the penny (percentages rounded to 2 places): sums hold to within this.
_SLACK = 0.005


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts`` (at most, when not ``exact``); ``disjoint`` when no
    organisation is in two parts; ``averaged`` when the total is the parts' average weighted by
    their organisations (a percentage); ``prefer_total`` when a withheld part is protected by
    withholding the total rather than another part (across scopes, `across`)."""

    total: Key
    parts: tuple[Key, ...]
    disjoint: bool
    exact: bool = True
    averaged: bool = False
    prefer_total: bool = False


@dataclass(frozen=True)
class Protection:
    """What the linear-programming check needs beyond the cells: the protection level (a share,
    0.2 for 20%), each quarter's proxy value by (measure code, quarter key), and the measures
    whose figures are percentages (0 to 100)."""

    share: float
    ratios: dict[tuple[str, str], float]
    percent_codes: frozenset[str] = frozenset()
    # Each cell's part from organisations that publish their own figures: (organisations,
    # value, pounds). Anyone can add those up from the register, so it is known already.
    published: dict[Key, tuple[int, float, float]] = field(default_factory=dict)


def _combined(counts: Iterable[int], disjoint: bool) -> int:
    counts = list(counts)
    if not counts:
        return 0
    return sum(counts) if disjoint else max(counts)


def _order(cells, key):
    """Smallest first: fewest organisations, then smallest value; the key makes it repeatable."""
    return (cells[key][0], cells[key][1], str(key))


def close(cells, found: list[Relation], threshold, withheld: set) -> None:
    """Rule 2 to a fixed point over ``found``: adds to ``withheld``. ``threshold`` is a number,
    or a function of a relation's total (relations of several scopes, `across`)."""
    _close(cells, _present(cells, found), threshold, withheld)


def _close(cells, present, threshold, withheld: set) -> None:
    """Rules 2 to a fixed point: adds to ``withheld``."""
    changed = True
    while changed:
        changed = False
        for relation, parts in present:
            hidden = [p for p in parts if p in withheld]
            shown = [p for p in parts if p not in withheld]
            add = None
            if relation.total in withheld:
                if not hidden and shown:  # the total would be the sum of its shown parts
                    add = min(shown, key=lambda p: _order(cells, p))
            elif hidden:
                limit = threshold(relation.total) if callable(threshold) else threshold
                too_few = _combined((cells[p][0] for p in hidden), relation.disjoint) < limit
                alone = len(hidden) == 1 and relation.exact
                if too_few or alone:
                    add = min(shown, key=lambda p: _order(cells, p)) if shown else relation.total
                    if relation.prefer_total:
                        add = relation.total
            if add is not None:
                withheld.add(add)
                changed = True


def _present(cells, relations: list[Relation]):
    out = []
    for r in relations:
        if r.total in cells:
            parts = tuple(p for p in r.parts if p in cells)
            if parts:
                out.append((r, parts))
    return out


def constraints(cells, present, protection: Protection) -> list[Constraint]:
    """Every relation as linear constraints on (cell, VALUE) and (cell, POUNDS) variables, and
    each quarter's pounds tied to its figure by the proxy value in force."""
    out = []
    for relation, parts in present:
        total, count = relation.total, cells[relation.total][0]
        if relation.averaged:  # organisations x average = the sum of the parts'
            terms = [((total, VALUE), float(count))]
            terms += [((p, VALUE), -float(cells[p][0])) for p in parts]
            slack = _SLACK * 2 * count
            out.append(Constraint(tuple(terms), -slack, slack))
            continue
        for quantity in (VALUE, POUNDS):
            terms = [((total, quantity), 1.0)] + [((p, quantity), -1.0) for p in parts]
            slack = _SLACK * len(terms)
            high = slack if relation.exact else inf
            out.append(Constraint(tuple(terms), -slack, high))
    for key in cells:
        period, code = key[0], key[1]
        ratio = protection.ratios.get((code, period))
        if ratio is not None:
            terms = (((key, POUNDS), 1.0), ((key, VALUE), -ratio))
            slack = _SLACK * (1 + ratio)
            out.append(Constraint(terms, -slack, slack))
    return out


def _known(cells, withheld: set) -> dict:
    known = {}
    for key, cell in cells.items():
        if key not in withheld:
            known[(key, VALUE)] = float(cell[1] or 0)
            known[(key, POUNDS)] = float(_pounds(cell) or 0)
    return known


def _pounds(cell) -> Decimal | None:
    return cell[2] if len(cell) > 2 else None


def unprotected(cells, present, withheld: set, keys: Iterable, protection: Protection) -> set:
    """Those of the withheld ``keys`` whose figure or pounds could be told too closely. A
    quarter's pounds are its figure times a known ratio, so only its figure is solved for."""
    targets = {}
    for key in keys:
        targets[(key, VALUE)] = float(cells[key][1] or 0)
        pounds = _pounds(cells[key])
        if pounds is not None and (key[1], key[0]) not in protection.ratios:
            targets[(key, POUNDS)] = float(pounds)
    upper = {(k, VALUE): 100.0 for k in cells if k[1] in protection.percent_codes}
    lower = {}
    for key, (count, value, pounds) in protection.published.items():
        if key in cells and count:
            averaged = key[1] in protection.percent_codes
            lower[(key, VALUE)] = value / cells[key][0] if averaged else value
            lower[(key, POUNDS)] = pounds or 0.0
    known = _known(cells, withheld)
    found = protection_check(
        constraints(cells, present, protection), known, targets, protection.share, upper, lower
    )
    return {variable[0] for variable in found}


def _partner(cells, key, by_member, withheld: set, share: float):
    """A shown cell to withhold so that ``key`` can move: from its relations (or, when they
    are all withheld, its neighbours' relations), the smallest big enough to take up the
    protection share of its value; failing that the biggest. Breakdown cells before totals."""
    seen, frontier = {key}, [key]
    while frontier:
        candidates, nxt = set(), []
        for member in frontier:
            for relation, parts in by_member.get(member, ()):
                for other in (relation.total, *parts):
                    if other not in withheld:
                        candidates.add(other)
                    elif other not in seen:
                        seen.add(other)
                        nxt.append(other)
        if candidates:
            needed = share * float(cells[key][1] or 0)
            big = [c for c in candidates if float(cells[c][1] or 0) >= needed]

            def rank(c):
                return (c[2] == DIMENSION_ALL, *_order(cells, c))

            return min(big, key=rank) if big else max(candidates, key=lambda c: _order(cells, c))
        frontier = nxt
    return None


def withhold(
    cells: dict[Key, tuple],
    relations: list[Relation],
    threshold: int,
    protection: Protection | None = None,
) -> tuple[set[Key], set[Key]]:
    """The cells withheld as small (fewer organisations than ``threshold``) and those withheld
    to protect them. ``cells`` maps a key to (organisations, value[, value in pounds]). Without
    ``protection`` only the relation rules run (rules 1 and 2)."""
    small = {key for key, cell in cells.items() if 0 < cell[0] < threshold}
    withheld = set(small)
    if protection is not None:  # as small: fewer than the threshold that do not publish
        for key, (count, _value, _pounds) in protection.published.items():
            if key in cells and 0 < cells[key][0] - count < threshold:
                withheld.add(key)
    present = _present(cells, relations)
    _close(cells, present, threshold, withheld)
    if protection is not None:
        by_member: dict[Key, list] = {}
        for relation, parts in present:
            for member in (relation.total, *parts):
                by_member.setdefault(member, []).append((relation, parts))
        pending = set(withheld)
        while pending:
            failing = unprotected(cells, present, withheld, sorted(pending, key=str), protection)
            before = set(withheld)
            for key in sorted(failing, key=str):
                partner = _partner(cells, key, by_member, withheld, protection.share)
                if partner is not None:
                    withheld.add(partner)
            if withheld == before:
                break  # nothing left to withhold around them
            _close(cells, present, threshold, withheld)
            pending = failing | (withheld - before)
    return small, withheld - small


def relations(
    keys: Iterable[tuple[str, str, str, str]],
    flow_codes: set[str],
    averaged_codes: Iterable[str] = (),
) -> list[Relation]:
    """The published sums among summary rows keyed (period, measure, dimension, value)."""
    averaged_codes = set(averaged_codes)
    by_period: dict[tuple[str, str, str], list[Key]] = {}
    by_cell: dict[tuple[str, str, str], list[str]] = {}
    for key in keys:
        period, code, dimension, value = key
        if dimension != DIMENSION_ALL:
            by_period.setdefault((period, code, dimension), []).append(key)
        if code in flow_codes:
            by_cell.setdefault((code, dimension, value), []).append(period)
    out = [
        Relation(
            (period, code, DIMENSION_ALL, ""),
            tuple(parts),
            disjoint=dim != DIMENSION_COMMISSIONER,
            exact=dim != DIMENSION_COMMISSIONER,
            averaged=code in averaged_codes,
        )
        for (period, code, dim), parts in by_period.items()
    ]
    for (code, dimension, value), periods in by_cell.items():
        groups: dict[str, list[str]] = {ALL: []}
        for key in periods:
            period = parse_period(key)
            if period is not None and period.kind == QUARTER:
                groups.setdefault(year_of(period.end).key, []).append(key)
            elif period is not None and period.kind == YEAR:
                groups[ALL].append(key)
        out.extend(
            Relation(
                (total, code, dimension, value),
                tuple((k, code, dimension, value) for k in parts),
                False,
            )
            for total, parts in groups.items()
        )
    return out
