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

from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, Scheme
from charter.models.scheme import ACHIEVEMENT, PAIR

SECOND = ".2"


def second_code(code: str) -> str:
    return f"{code}{SECOND}"


def pair_units(charter_id: int | None) -> dict[str, tuple[str, str]]:
    """The unit of each part of the charter's pairs (every charter's with None), by measure
    code; the current scheme's where versions differ. One query."""
    query = select(Measure.code, Measure.parts, Scheme.is_current).join(
        Scheme, Scheme.id == Measure.scheme_id
    )
    if charter_id is not None:
        query = query.where(Scheme.charter_id == charter_id)
    found: dict[str, tuple[str, str]] = {}
    for code, parts, _current in db.session.execute(
        query.where(Measure.unit == PAIR).order_by(Scheme.is_current)
    ):
        if parts and len(parts) == 2:
            found[code] = (parts[0]["unit"], parts[1]["unit"])  # the current one last, kept
    return found


__all__ = ["ACHIEVEMENT", "PAIR", "SECOND", "pair_units", "second_code"]
