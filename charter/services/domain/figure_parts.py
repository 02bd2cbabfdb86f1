"""A pair's two figures and an achievement's yes, as the published figures count them
(issue 21).

The impact build adds up rows of one figure each (counted_figures.lines). A pair ("number of
events hosted and total attendance") gives two rows: its first figure under the measure's code
and its second under the code with ``SECOND`` appended, each in its own part's unit, so each is
added up by its unit's rule (counts summed, percentages averaged) and protected by the same
disclosure control as any figure, and the pages show both totals with their own labels. An
achievement gives a row of 1 for each organisation whose verified return says it was achieved:
a stock, so the period's total is how many organisations achieved it (never a sum of numbers);
a "no" gives no row.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, Numeric, Select, String, bindparam, case, cast, literal, select

from charter.extensions import db
from charter.models import Measure, ReturnLine, Scheme
from charter.models.scheme import ACHIEVEMENT, PAIR

SECOND = ".2"


def second_code(code: str) -> str:
    return f"{code}{SECOND}"


def pair_units(charter_id: int | None) -> dict[str, tuple[str, str]]:
    """The unit of each part of the charter's pairs (every charter's with None), by measure
    code; the current scheme's where versions differ. One query."""
    if charter_id is None:
        return units_of(db.session.execute(_pairs_statement(False)))
    return units_of(db.session.execute(_pairs_statement(True), {"charter_id": charter_id}))


@cache
def _pairs_statement(of_one_charter: bool) -> Select:
    """``pair_units``' query, built once (an organisation's page asks it every time)."""
    query = select(Measure.code, Measure.parts, Scheme.is_current).join(
        Scheme, Scheme.id == Measure.scheme_id
    )
    if of_one_charter:
        query = query.where(Scheme.charter_id == bindparam("charter_id", type_=Integer))
    return query.where(Measure.unit == PAIR).order_by(Scheme.is_current)


def units_of(rows) -> dict[str, tuple[str, str]]:
    """Each pair's parts' units by its key, from (key, parts, is current) rows ordered with the
    current scheme's last (it is kept)."""
    found: dict[str, tuple[str, str]] = {}
    for key, parts, _current in rows:
        if parts and len(parts) == 2:
            found[key] = (parts[0]["unit"], parts[1]["unit"])
    return found


def published_units(units: dict[str, str], pairs: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The unit of each published figure's key, for disclosure control (which sums over time,
    which are averages): a measure's own unit, but a pair's first part's under its key and its
    second part's under the second key, as the rows of ``figure_rows`` carry them."""
    found = dict(units)
    for key, (first, second) in pairs.items():
        found[key] = first
        found[second_code(key)] = second
    return found


def figure_rows(rows_of, key, pairs: dict[str, tuple[str, str]]) -> list:
    """The selects of every published figure of the return lines ``rows_of(key, unit, value,
    *where)`` reads: a figure under ``key`` (a pair's first in its first part's unit), an
    achievement's 1 for each yes, and a pair's second figure under the second key in its second
    part's unit (``pairs``: the parts' units by key). One rule for a charter's figures
    (counted_figures) and several charters' together (combined_figures)."""
    first_unit = Measure.unit
    if pairs:
        first_unit = case({k: u for k, (u, _) in pairs.items()}, value=key, else_=Measure.unit)
    found = [
        rows_of(key, first_unit, ReturnLine.actual_value, ReturnLine.actual_value.is_not(None)),
        rows_of(
            key,
            cast(literal(ACHIEVEMENT), String(20)),
            cast(literal(1), Numeric(14, 2)),
            Measure.unit == ACHIEVEMENT,
            ReturnLine.achieved.is_(True),
        ),
    ]
    if pairs:
        found.append(
            rows_of(
                key + literal(SECOND),
                case({k: u for k, (_, u) in pairs.items()}, value=key),
                ReturnLine.second_value,
                Measure.unit == PAIR,
                ReturnLine.second_value.is_not(None),
            )
        )
    return found


__all__ = [
    "ACHIEVEMENT",
    "PAIR",
    "SECOND",
    "figure_rows",
    "pair_units",
    "published_units",
    "second_code",
    "units_of",
]
