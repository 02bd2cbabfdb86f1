"""Figures typed into a return line, through HTTP: each unit's sign, precision and range
(charter.services.domain.units). A refused figure shows a GOV.UK error saying what is allowed,
and nothing is saved; an accepted one is stored exactly as typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.organisation.return_helpers import fill_line, line_of, open_returns

# Measures reported per contract, with no contract in the period, take the one figure "not on a
# listed contract".
LABELS = {code: "the figure not on a listed contract" for code in ("LE1", "LE4", "LE5")}

ACCEPTED = [
    ("LE1", "£1,234.50", "1234.50"),
    ("LE1", "£ 1 234 567", "1234567"),
    ("LE1", "12.340", "12.34"),
    ("LE1", "999,999,999,999.99", "999999999999.99"),
    ("LE1", "0", "0"),
    ("LE4", "12.5", "12.5"),
    ("LE5", "40", "40"),
    ("LE8", "99.5%", "99.5"),
    ("LE8", "100", "100"),
]

REFUSED = [
    ("LE1", "75%", "Enter {label} as an amount in pounds, without a % sign"),
    ("LE1", "12.345", "Enter {label} to the nearest penny, like 1,250.50"),
    ("LE1", "-5", "{Label} must be 0 or more"),
    ("LE1", "twelve", "Enter {label} as an amount in pounds, like 1,250.50"),
    ("LE1", "1,000,000,000,000", "{Label} must be £999,999,999,999.99 or less"),
    ("LE1", "9" * 40, "{Label} must be £999,999,999,999.99 or less"),
    ("LE1", "1e5", "Enter {label} as an amount in pounds, like 1,250.50"),
    ("LE4", "0.05", "Enter {label} to one decimal place, like 12.5"),
    ("LE4", "£3", "Enter {label} as a number of FTE, without a £ sign"),
    ("LE5", "12.5", "Enter {label} as a whole number, like 40"),
    ("LE8", "99.99", "Enter {label} to one decimal place, like 75.5"),
    ("LE8", "100.1", "{Label} must be 100% or less"),
    ("LE8", "£75", "Enter {label} as a percentage, without a £ sign"),
]


@pytest.mark.parametrize(("code", "typed", "stored"), ACCEPTED)
def test_a_figure_in_its_unit_is_stored_as_typed(
    member_client, organisation, scheme, code, typed, stored
):
    first, _ = open_returns(organisation, scheme)
    response = fill_line(member_client, organisation, first, code, actual_value=typed)
    assert response.status_code == 302
    assert line_of(first, code).actual_value == Decimal(stored)


@pytest.mark.parametrize(("code", "typed", "message"), REFUSED)
def test_a_figure_outside_its_unit_is_refused_with_what_is_allowed(
    member_client, organisation, scheme, code, typed, message
):
    first, _ = open_returns(organisation, scheme)
    response = fill_line(member_client, organisation, first, code, actual_value=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    label = LABELS.get(code, "the actual figure")
    message = message.format(label=label, Label=label[0].upper() + label[1:])
    assert "Error:" in html and message in html
    line = line_of(first, code)
    assert line.actual_value is None and line.narrative is None
