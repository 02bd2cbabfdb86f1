"""Each unit a figure is given in, with its precision and its range, in one place.

A figure typed as "75%" into a £ field was stored as £75; "12.345" became 12.34 without a word;
£999,999,999,999 of local spend on a £37,000 contract went through. Every form that takes a
figure (monitoring returns, plan baselines and targets, contract commitments) reads it with
``parse_figure`` here, which refuses rather than converts: a sign that is not the unit's, more
decimal places than the unit has, a negative or a figure beyond the unit's range each get a
GOV.UK message saying what is allowed. Nothing is rounded.

Precision (decimal places): pounds to the penny (2); FTE to one decimal place (1: a half-time
post is 0.5 FTE, and payroll reports FTE to one place); percentages to one decimal place
(99.5%); weeks, hours and counts in whole numbers. The schemes' measures give no precision of
their own, so these hold for every scheme.

Range: from 0 to the largest figure the database column holds (Numeric(14, 2) for a figure, a
return line's total, a baseline or a target), and 0 to 100 for a percentage. A total of several
figures is checked against the same column before it is written (``check_total``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from charter.formatting import format_amount
from charter.services.domain.refusals import Refused

# The Numeric(14, 2) columns of figures, return line totals, baselines, targets and
# commitments (charter.models.monitoring, plan, contract).
FIGURE_COLUMN_MAX = Decimal("999999999999.99")


@dataclass(frozen=True)
class Unit:
    code: str
    places: int
    maximum: Decimal
    # How a figure in the unit is written in a message: "an amount in pounds".
    what: str
    # An example with the unit's precision, for "like ..." in messages.
    example: str

    @property
    def step(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def written(self, value: Decimal) -> str:
        """The figure with the unit, as messages and pages show it (charter.formatting)."""
        return format_amount(value, self.code)

    def precision_message(self, label: str, example: str = "") -> str:
        example = example or self.example
        if self.code == "GBP":
            return f"Enter {label} to the nearest penny, like {example}"
        if self.places == 0:
            return f"Enter {label} as a whole number, like {example}"
        return f"Enter {label} to one decimal place, like {example}"


def _whole(maximum: Decimal) -> Decimal:
    return maximum.to_integral_value(rounding="ROUND_FLOOR")


UNITS: dict[str, Unit] = {
    "GBP": Unit("GBP", 2, FIGURE_COLUMN_MAX, "an amount in pounds", "1,250.50"),
    "FTE": Unit("FTE", 1, Decimal("999999999999.9"), "a number of FTE", "12.5"),
    "percent": Unit("percent", 1, Decimal(100), "a percentage", "75.5"),
    "weeks": Unit("weeks", 0, _whole(FIGURE_COLUMN_MAX), "a number of weeks", "40"),
    "hours": Unit("hours", 0, _whole(FIGURE_COLUMN_MAX), "a number of hours", "120"),
    "count": Unit("count", 0, _whole(FIGURE_COLUMN_MAX), "a number", "12"),
}


def unit_of(code: str | None) -> Unit:
    """The unit for a measure's unit code; an unknown code is held to the strictest column."""
    return UNITS.get(code or "", Unit(code or "", 2, FIGURE_COLUMN_MAX, "a number", "12"))


class FigureRefused(Refused):
    """A figure that cannot be taken as typed; the message says what is allowed."""


# Digits in groups of three separated by commas or single spaces ("1,234,567", "1 234 567"),
# or none at all, then an optional decimal part. ASCII digits only ([0-9], not \d).
_NUMBER = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
)


def _strip_sign(text: str, unit: Unit, label: str) -> str:
    """Take off the unit's own sign (a leading £ for money, a trailing % for a percentage);
    the other unit's sign is refused, not ignored."""
    if text.startswith("£"):
        if unit.code != "GBP":
            raise FigureRefused(f"Enter {label} as {unit.what}, without a £ sign")
        text = text[1:].lstrip()
    if text.endswith("%"):
        if unit.code != "percent":
            raise FigureRefused(f"Enter {label} as {unit.what}, without a % sign")
        text = text[:-1].rstrip()
    return text


def parse_figure(
    text: str | None,
    unit_code: str | None,
    *,
    label: str,
    example: str = "",
    maximum: Decimal | None = None,
) -> Decimal:
    """The figure typed in ``text``, in the unit, exactly as typed (never rounded).

    Raises FigureRefused with a GOV.UK message naming ``label`` ("the actual figure"); blank
    is the caller's to handle (it is not passed here). ``maximum`` is a column smaller than
    the unit's (a proxy value's Numeric(12, 2))."""
    unit = unit_of(unit_code)
    if maximum is not None:
        unit = replace(unit, maximum=min(maximum, unit.maximum))
    example = example or unit.example
    raw = (text or "").strip()
    negative = raw.startswith("-") or raw.startswith("−")
    if negative:
        raw = raw[1:].lstrip()
    raw = _strip_sign(raw, unit, label)
    if not _NUMBER.fullmatch(raw):
        raise FigureRefused(f"Enter {label} as {unit.what}, like {example}")
    value = Decimal(raw.replace(",", "").replace(" ", ""))
    if negative and value != 0:
        raise FigureRefused(f"{label[0].upper()}{label[1:]} must be 0 or more")
    # The size before the places: a 40-digit number is refused as too big, not too precise.
    if value > unit.maximum:
        raise FigureRefused(
            f"{label[0].upper()}{label[1:]} must be {unit.written(unit.maximum)} or less"
        )
    if -value.as_tuple().exponent > unit.places and value != value.quantize(unit.step):
        raise FigureRefused(unit.precision_message(label, example))
    return value.quantize(unit.step)  # exact: "12.340" is 12.34, nothing is lost


class TotalTooLarge(Refused):
    """A sum of figures the database column cannot hold: refused, not stored or failed."""


def check_total(total: Decimal, unit_code: str | None, *, what: str) -> Decimal:
    """``total`` if the column can hold it, else TotalTooLarge with a message for people.
    ``what`` names the total ("the total for LE1")."""
    if abs(total) > FIGURE_COLUMN_MAX:
        maximum = unit_of(unit_code).written(FIGURE_COLUMN_MAX)
        raise TotalTooLarge(
            f"{what[0].upper()}{what[1:]} would be {unit_of(unit_code).written(total)}, more than "
            f"the {maximum} a total can be. Check the figures: one of them is likely mistyped."
        )
    return total
