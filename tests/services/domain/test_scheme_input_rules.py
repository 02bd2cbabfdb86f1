"""The scheme file's input rules (issue 18): the [contracts] window and ceiling, and which way
is better for each measure. Optional, with defaults, and checked when the file is loaded."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from charter.services.domain.schemes import SchemeFileError, load_scheme_text, parse_scheme
from tests.services.domain.test_schemes import DEFAULT

CONTRACTS = re.compile(r"\n\[contracts\]\n(?:[^\n\[]*\n)*")


def _without_contracts(text: str) -> str:
    return CONTRACTS.sub("\n", text)


def _with_contracts(text: str, body: str) -> str:
    return _without_contracts(text) + f"\n[contracts]\n{body}\n"


def test_the_default_scheme_gives_the_contract_rules_and_directions(app, db):
    scheme = load_scheme_text(DEFAULT.read_text()).scheme
    assert scheme.contract_earliest_start == date(2000, 1, 1)
    assert scheme.contract_end_years_ahead == 15
    assert scheme.contract_max_value == Decimal(10_000_000_000)
    better = {m.code: (m.better, m.allow_backwards_with_reason) for m in scheme.measures}
    assert better["LE1"] == ("higher", False)
    assert better["LE4"] == ("higher", True)


def test_without_a_contracts_table_the_defaults_apply(app, db):
    content = parse_scheme(_without_contracts(DEFAULT.read_text()))
    assert (
        content["contract_earliest_start"],
        content["contract_end_years_ahead"],
        content["contract_max_value"],
    ) == ("2000-01-01", 15, "10000000000")


def test_a_scheme_can_set_its_own_contract_rules(app, db):
    text = _with_contracts(
        DEFAULT.read_text(),
        "earliest_start = 2015-04-01\nlatest_end_years_ahead = 25\nmax_value = 500000000.5",
    )
    scheme = load_scheme_text(text).scheme
    assert scheme.contract_earliest_start == date(2015, 4, 1)
    assert scheme.contract_end_years_ahead == 25
    assert scheme.contract_max_value == Decimal("500000000.50")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('earliest_start = "2000"', "'earliest_start' must be a date"),
        ("earliest_start = 2000-01-01T10:00:00", "'earliest_start' must be a date"),
        ("latest_end_years_ahead = 0", "from 1 to 100"),
        ("latest_end_years_ahead = true", "from 1 to 100"),
        ("max_value = 1", "above 1 and at most 999999999999.99"),
        ("max_value = 1000000000000", "above 1 and at most 999999999999.99"),
        ('max_value = "lots"', "above 1 and at most"),
    ],
)
def test_bad_contract_rules_are_refused_with_the_reason(body, message):
    with pytest.raises(SchemeFileError, match=re.escape(message)):
        parse_scheme(_with_contracts(DEFAULT.read_text(), body))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('better = "bigger"', '\'better\' must be "higher" or "lower"'),
        ('allow_backwards_with_reason = "yes"', "must be true or false"),
    ],
)
def test_bad_directions_are_refused_with_the_reason(line, message):
    text = DEFAULT.read_text().replace('code = "LE1"\n', f'code = "LE1"\n{line}\n', 1)
    with pytest.raises(SchemeFileError, match=re.escape(message)):
        parse_scheme(text)
