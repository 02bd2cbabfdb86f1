"""Reading figures as people type them (charter.services.domain.units.parse_figure): thousands
separators every three digits (commas or spaces), the unit's own sign, nothing ambiguous, no
non-ASCII digits, and never a rounded figure."""

from decimal import Decimal

import pytest

from charter.formatting import format_amount
from charter.services.domain.units import (
    FIGURE_COLUMN_MAX,
    FigureRefused,
    TotalTooLarge,
    check_total,
    parse_figure,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1234", "GBP", "1234"),
        ("1,234.50", "GBP", "1234.50"),
        ("£1,234", "GBP", "1234"),
        ("£ 1,234,567.5", "GBP", "1234567.5"),
        ("1 234 567", "hours", "1234567"),
        (" 75% ", "percent", "75"),
        ("0.5", "FTE", "0.5"),
        (".5", "FTE", "0.5"),
        ("12345678", "count", "12345678"),
        ("-0", "GBP", "0"),
    ],
)
def test_figures_written_plainly_are_read(text, unit, expected):
    assert parse_figure(text, unit, label="the figure") == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1,2,3",
        "1,23",
        "12,3456",
        "1.2.3",
        "١٢٣",
        "１２３",
        "12e3",
        "NaN",
        "Infinity",
        "£",
        "1  234",
        "1,234.",
        "$5",
        "5£",
        "--5",
        "0x10",
        "1_000",
        "1 23",
    ],
)
def test_ambiguous_or_foreign_figures_are_refused(text):
    with pytest.raises(FigureRefused, match="Enter the figure as an amount in pounds"):
        parse_figure(text, "GBP", label="the figure")


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("75%", "GBP", "without a % sign"),
        ("£75", "percent", "without a £ sign"),
        ("12.345", "GBP", "to the nearest penny"),
        ("0.05", "FTE", "to one decimal place"),
        ("1.5", "weeks", "as a whole number"),
        ("100.5", "percent", "100% or less"),
        ("-1", "GBP", "0 or more"),
        ("1000000000000", "GBP", "£999,999,999,999.99 or less"),
    ],
)
def test_figures_outside_the_unit_are_refused_not_converted(text, unit, message):
    with pytest.raises(FigureRefused, match=message):
        parse_figure(text, unit, label="the figure")


def test_a_total_beyond_the_column_is_refused_with_a_message():
    assert check_total(FIGURE_COLUMN_MAX, "GBP", what="the total") == FIGURE_COLUMN_MAX
    with pytest.raises(TotalTooLarge, match=r"The total would be £1,999,999,999,999\.98"):
        check_total(FIGURE_COLUMN_MAX * 2, "GBP", what="the total")


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("99.999", "percent", "99.99%"),
        ("0.001", "FTE", "less than 0.01 FTE"),
        ("0.004", "GBP", "less than £0.01"),
        ("12.5", "FTE", "12.5 FTE"),
        ("163156.00", "GBP", "£163,156"),
        ("1", "weeks", "1 week"),
    ],
)
def test_display_never_rounds_a_figure_into_another(value, unit, shown):
    assert format_amount(Decimal(value), unit) == shown
