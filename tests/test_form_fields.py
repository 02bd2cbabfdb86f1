"""Reading figures as people type them (charter.form_fields.parse_amount): thousands separators
every three digits, a £ sign, a % sign; nothing ambiguous and no non-ASCII digits."""

from decimal import Decimal

import pytest

from charter.form_fields import parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", "1234"),
        ("1,234.50", "1234.50"),
        ("£1,234", "1234"),
        ("£ 1,234,567.5", "1234567.5"),
        (" 75% ", "75"),
        ("0.5", "0.5"),
        (".5", ".5"),
        ("-5", "-5"),
        ("12345678", "12345678"),
    ],
)
def test_figures_written_plainly_are_read(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
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
        "1 234",
        "1,234.",
        "$5",
        "5£",
        "--5",
        "0x10",
        "1_000",
    ],
)
def test_ambiguous_or_foreign_figures_are_refused(text):
    assert parse_amount(text) is None
