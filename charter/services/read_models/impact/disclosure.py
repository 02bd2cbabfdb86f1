"""Complementary (secondary) suppression: small figures must not be worked out by subtraction.

Withholding a breakdown cell built from fewer organisations than the threshold ("primary"
suppression) is not enough when the total beside it is shown: if it is the only cell withheld,
it equals the total less the cells shown. So each published sum is a *relation* — a total and
the parts that add up to it — and in every relation whose total is shown, the withheld parts
together must come from at least the threshold of organisations, or another part is withheld
too (the smallest shown one, by organisations and then value). A shown part always has at
least the threshold itself, so one extra cell is always enough for that relation; but withholding
it can open another relation, so the rule runs until nothing changes.

Relations, per measure:
- in a period, the headline total and the cells of each district, sector and type of
  organisation (each organisation is in exactly one cell, "other" and blank values included,
  so the cells partition the total and the withheld cells' organisations add up);
- in a period, the headline total and the commissioner cells. They add up to the total only
  when every figure is on a listed contract, but that cannot be ruled out, and an organisation
  can have contracts with several commissioners, so withheld cells' organisations overlap:
  only the largest withheld cell's count is taken as certain;
- for flows, a financial year and its quarters, and all time and its years, in every cell:
  the same organisations report each quarter, so counts overlap as for commissioners. Stocks
  (FTE, percentages) take each organisation's latest figure, which is not a sum of quarters.

A withheld total whose parts are all shown would be their sum, so a part is withheld with it.
This is the standard threshold rule with complementary suppression on the published linear
relations; it does not defend against bounds inferred by linear programming across many
tables (what tau-Argus's optimal methods do), which the threshold of 3 does not call for.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from charter.models.impact import DIMENSION_ALL, DIMENSION_COMMISSIONER
from charter.services.read_models.impact.periods import ALL, QUARTER, YEAR, parse_period, year_of

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts``; ``disjoint`` when no organisation is in two parts."""

    total: Key
    parts: tuple[Key, ...]
    disjoint: bool


def _combined(counts: Iterable[int], disjoint: bool) -> int:
    counts = list(counts)
    if not counts:
        return 0
    return sum(counts) if disjoint else max(counts)


def withhold(
    cells: dict[Key, tuple[int, Decimal]], relations: list[Relation], threshold: int
) -> tuple[set[Key], set[Key]]:
    """The cells withheld as small (fewer organisations than ``threshold``) and those withheld
    to protect them. ``cells`` maps a key to (organisations, value)."""
    small = {key for key, (count, _) in cells.items() if count < threshold}
    withheld = set(small)
    present = [
        (r.total, tuple(p for p in r.parts if p in cells), r.disjoint)
        for r in relations
        if r.total in cells
    ]
    present = [r for r in present if r[1]]
    changed = True
    while changed:
        changed = False
        for total, parts, disjoint in present:
            hidden = [p for p in parts if p in withheld]
            if total in withheld:
                needed = not hidden
            else:
                needed = bool(hidden) and (
                    _combined((cells[p][0] for p in hidden), disjoint) < threshold
                )
            if not needed:
                continue
            shown = [p for p in parts if p not in withheld]
            if not shown:
                continue
            # Smallest by organisations, then value; the key makes the choice repeatable.
            shown.sort(key=lambda p: (cells[p][0], cells[p][1], str(p)))
            withheld.add(shown[0])
            changed = True
    return small, withheld - small


def relations(keys: Iterable[tuple[str, str, str, str]], flow_codes: set[str]) -> list[Relation]:
    """The published sums among summary rows keyed (period, measure, dimension, value)."""
    by_period: dict[tuple[str, str, str], list[Key]] = {}
    by_cell: dict[tuple[str, str, str], list[str]] = {}
    for key in keys:
        period, code, dimension, value = key
        if dimension != DIMENSION_ALL:
            by_period.setdefault((period, code, dimension), []).append(key)
        if code in flow_codes:
            by_cell.setdefault((code, dimension, value), []).append(period)
    out = [
        Relation((period, code, DIMENSION_ALL, ""), tuple(parts), dim != DIMENSION_COMMISSIONER)
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
