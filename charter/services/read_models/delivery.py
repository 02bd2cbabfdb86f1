"""What a commitment delivered, whatever the kind of value its measure takes (issue 21): one
figure, a pair's two figures (each by its own unit's rule, never added into one number), or an
achievement's date (never counted as 1). The one rule, and the one way of writing it in a
download, for the contract pages and dashboard (``commitments.py``), the administrators'
contract social value report (``contract_social_value.py``) and the contract managers' report
(``commissioner_reports.py``); the pages write the same values with
``templates/components/commitment-figures.html``.

``figures`` are tuples ``(period start, period end, value, second value[, achieved on])``,
oldest first, verified only (the callers' queries use ``plausibility.counts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from charter.formatting import format_amount, format_date
from charter.models import Measure
from charter.models.scheme import ACHIEVEMENT, FLOW_UNITS, PAIR


@dataclass(frozen=True)
class Delivered:
    first: Decimal | None  # None: an achievement, or a measure not followed per contract
    second: Decimal | None = None  # a pair's second figure
    achieved_on: date | None = None  # an achievement: the latest verified date it was achieved


def units(measure: Measure) -> tuple[str, str | None]:
    """The unit of the figure, and of a pair's second figure."""
    if measure.unit == PAIR and measure.parts:
        return measure.parts[0]["unit"], measure.parts[1]["unit"]
    return measure.unit, None


def total(values: list, unit: str) -> Decimal:
    """A flow's values added up; otherwise the latest (FTE, a percentage)."""
    values = [v for v in values if v is not None]
    if unit in FLOW_UNITS:
        return sum(values, Decimal(0))
    return values[-1] if values else Decimal(0)


def fold(measure: Measure, figures: list) -> Delivered:
    """What ``figures`` of ``measure`` delivered."""
    if measure.unit == ACHIEVEMENT:
        achieved = next((f[4] for f in reversed(figures) if len(f) > 4 and f[4]), None)
        return Delivered(None, achieved_on=achieved)
    first_unit, second_unit = units(measure)
    second = total([f[3] for f in figures], second_unit) if second_unit else None
    return Delivered(total([f[2] for f in figures], first_unit), second)


def adds_up(unit: str | None) -> bool:
    """Whether figures in ``unit`` are added across contracts: not percentages."""
    return unit is not None and unit not in ("percent", ACHIEVEMENT, PAIR)


def delivered_text(measure: Measure, first, second=None, achieved_on=None) -> str:
    """The value in words, for a download's "in words" column: "Events hosted: 4; Total
    attendance: 80", "Achieved on 1 May 2026", "Not yet achieved", "£1,250"."""
    if measure.unit == ACHIEVEMENT:
        return f"Achieved on {format_date(achieved_on)}" if achieved_on else "Not yet achieved"
    if first is None:
        return "Reported for the whole organisation"
    if measure.unit == PAIR and measure.parts:
        one, two = measure.parts
        return (
            f"{one['label']}: {format_amount(first, one['unit'])}; "
            f"{two['label']}: {format_amount(second, two['unit'])}"
        )
    return format_amount(first, measure.unit)


# The columns a download gives a delivered value: numbers as numbers, then in words.
DELIVERED_HEADINGS = ["Delivered, second figure", "Achieved on", "Delivered, in words"]


def delivered_columns(measure: Measure, first, second=None, achieved_on=None) -> list:
    """After the "Delivered" column (``first``): a pair's second figure, an achievement's
    date, and the whole value in words with its labels."""
    return [second, achieved_on, delivered_text(measure, first, second, achieved_on)]
