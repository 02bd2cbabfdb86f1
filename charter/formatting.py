"""Figures and dates as people read them: £163,156, 77%, 12.5 FTE, 24 October 2028.

The database holds Numeric(14, 2) values ("163156.00"), and printing them as they come gave
pages "from 163156.00 to 244734.00 £". Every page and email goes through these functions (the
template filters ``money``, ``amount`` and ``date`` in ``charter.templating``), so one figure
reads the same everywhere. Babel does the locale work (grouping, the pound sign before a
negative amount, month names) from CLDR data for en_GB rather than hand-written f-strings.

A figure is never shown rounded up or down to a different story: more than two decimal places
(an average) are cut, not rounded, so 99.999% reads "99.99%", never "100%"; a figure above 0 but
below a penny or 0.01 reads "less than 0.01 FTE", never "0 FTE". Figures people type have the
precision of their unit (charter.services.domain.units), so theirs are shown as typed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, parse_pattern

# Parsed once: given as a string, Babel parses the locale again on every call (52 times on an
# /impact page, a sixth of its formatting time).
LOCALE = Locale.parse("en_GB")
# At most two decimal places (the database keeps two), none when they are zero: 12.5, 1,200.
_NUMBER_PATTERN = "#,##0.##"
# The patterns parsed once, as format_decimal and format_currency would parse them per call.
_NUMBER = parse_pattern(_NUMBER_PATTERN)
_WHOLE_POUNDS = parse_pattern("¤#,##0")
# Units written after the figure with a space; "percent" is written "77%" and GBP as money.
_UNIT_WORDS = {"FTE": "FTE", "weeks": "weeks", "hours": "hours", "count": ""}
_SINGULAR = {"weeks": "week", "hours": "hour"}


_SHOWN_PLACES = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    if amount.as_tuple().exponent >= -2:
        return amount
    # Cut, not rounded: 99.999 is shown 99.99, never 100.
    return amount.quantize(_SHOWN_PLACES, rounding=ROUND_DOWN)


def _below_shown(value) -> bool:
    """A figure above 0 that two decimal places would show as 0."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return amount.is_finite() and 0 < abs(amount) < _SHOWN_PLACES


def format_money(value) -> str:
    """£163,156 for whole pounds; £163,156.50 when there are pence."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return _pounds(str(amount))


# Babel's formatting of one figure was a twentieth of an organisation's page, and the same
# figures recur within a page and from page to page. Kept by the Decimal's text, not its value:
# -0 equals 0, and Babel writes it "-0".
@lru_cache(maxsize=4096)
def _pounds(text: str) -> str:
    amount = Decimal(text)
    if amount == amount.to_integral_value():
        return _WHOLE_POUNDS.apply(amount, LOCALE, currency="GBP", currency_digits=False)
    return format_currency(amount, "GBP", locale=LOCALE)


@lru_cache(maxsize=4096)
def _grouped(text: str) -> str:
    return _NUMBER.apply(Decimal(text), LOCALE)


def format_exact_money(value) -> str:
    """As format_money, but a value with fractions of a penny (a target times a proxy value)
    is shown as it is, never rounded: £8.325."""
    amount = _decimal(value)
    if amount is None or amount == amount.quantize(Decimal("0.01")):
        return format_money(value)
    return f"£{amount.normalize():,f}"


def format_number(value) -> str:
    """A figure without needless decimals: 12, 12.5, 1,250."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return _grouped(str(amount))


def format_amount(value, unit: str | None) -> str:
    """A figure with its unit, as people write it: £1,250, 77%, 12.5 FTE, 40 weeks, 1 hour.

    ``unit`` is a measure's unit code (GBP, percent, FTE, weeks, hours, count); an unknown
    unit is written after the number as it is.
    """
    amount = _decimal(value)
    if amount is None:
        return ""
    if _below_shown(value):
        return f"less than {format_amount(_SHOWN_PLACES, unit)}"
    if unit == "GBP":
        return format_money(amount)
    number = format_number(amount)
    if unit == "percent":
        return f"{number}%"
    word = _UNIT_WORDS.get(unit or "", unit or "")
    if amount == 1 and word in _SINGULAR:
        word = _SINGULAR[word]
    return f"{number} {word}" if word else number


def format_date(value: date | datetime | None) -> str:
    """24 October 2028."""
    if not value:
        return ""
    # A datetime prints only its day: cache by day (the scheduled reviews' emails print the
    # same few dates tens of thousands of times, and Babel's formatting is most of their cost).
    return _long_date(value.date() if isinstance(value, datetime) else value)


@lru_cache(maxsize=4096)
def _long_date(day: date) -> str:
    return babel_format_date(day, "d MMMM y", locale=LOCALE)


def format_period(start: date, end: date) -> str:
    """1 January to 31 March 2027; 1 October 2026 to 31 March 2027 across a new year. The one
    way a monitoring period, plan year or reporting window is written, on pages and in emails."""
    if start.year == end.year:
        return f"{_long_date(start).rsplit(' ', 1)[0]} to {_long_date(end)}"
    return f"{_long_date(start)} to {_long_date(end)}"


def format_datetime(value: datetime | None) -> str:
    """24 October 2028 at 3:05pm (GOV.UK style: 12-hour clock, lower-case am/pm)."""
    if not value:
        return ""
    return f"{format_date(value)} at {value.strftime('%-I:%M')}{value.strftime('%p').lower()}"


def format_file_size(size: int) -> str:
    """A size limit as upload messages give it (GOV.UK: "smaller than 10MB"): 10MB, 500KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g}MB"
    return f"{size / 1024:g}KB"
