"""Cells of downloaded CSV and workbooks: text that a spreadsheet would run as a formula is
quoted, text that looks like a number included; numbers, negative ones included, stay
numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from charter.services.infrastructure.spreadsheets import spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+44 1743 000000", "-1+2", "-5 tonnes", "@SUM(A1)", "\tx", "-", "-5", "-1250.50"],
)
def test_formula_like_text_is_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("-5"), "-5"),
        (Decimal("-1250.50"), "-1250.50"),
        (-3, "-3"),
        (-0.5, "-0.5"),
        (Decimal("4321.00"), "4321.00"),
        ("Ludlow Larder", "Ludlow Larder"),
        (None, ""),
    ],
)
def test_numbers_and_plain_text_are_left_alone(value, expected):
    assert spreadsheet_safe(value) == expected
