"""Cleaning names and titles (charter.services.domain.text): what is removed, what is kept, and
what counts as visible."""

from __future__ import annotations

from datetime import date

import pytest

from charter.services.domain.periods import plan_term
from charter.services.domain.text import clean_text, has_visible_name, placeholder_name


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Severn   Valley  ", "Severn Valley"),
        ("Severn\tValley\nBuilders", "Severn Valley Builders"),
        ("Severn\u00a0Valley", "Severn Valley"),  # a no-break space is a space
        ("Sev\u200bern", "Severn"),  # zero-width space
        ("\ufeffSevern", "Severn"),  # byte order mark
        ("\u202eSevern\u202c", "Severn"),  # right-to-left override and pop
        ("\u2066Severn\u2069", "Severn"),  # isolates
        ("Sev\u00adern", "Severn"),  # soft hyphen
        ("A\x00B\x07C", "ABC"),  # NUL and bell
        ("Cafe\u0301", "Caf\u00e9"),  # NFC
        ("\u3164Severn", "Severn"),  # Hangul filler
        ("O’Neill & Sons (Ltd.)", "O’Neill & Sons (Ltd.)"),
        ("", ""),
        (None, None),
    ],
)
def test_clean_text(typed, kept):
    assert clean_text(typed) == kept


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("AB", True),
        ("A1", True),
        ("12", True),
        ("Łódź", True),
        ("\u4e2d\u6587", True),
        ("A", False),
        ("A\u200b", False),
        ("- -", False),
        ("\u200b\u200b\u200b", False),
        ("\u3164\u3164", False),
        ("", False),
    ],
)
def test_a_name_needs_two_visible_letters_or_digits(name, visible):
    assert has_visible_name(name) is visible


def test_a_placeholder_is_visible_and_names_the_row():
    name = placeholder_name("organisation", 12)
    assert name == "Unnamed organisation 12" and has_visible_name(name)


@pytest.mark.parametrize(
    ("start", "today", "end"),
    [
        (None, date(2026, 12, 6), date(2029, 12, 5)),  # a first plan: three plan years from today
        (date(2026, 1, 1), date(2026, 12, 6), date(2028, 12, 31)),  # in year 1: to the end of 3
        (date(2024, 1, 1), date(2026, 12, 6), date(2028, 12, 31)),  # in year 3: to the end of 5
        (date(2024, 2, 29), date(2024, 3, 1), date(2027, 2, 27)),  # 29 February
    ],
)
def test_the_plan_term_runs_to_the_end_of_the_plan_year_two_after_the_current_one(
    start, today, end
):
    term = plan_term(start, today)
    assert (term.start, term.end) == (start or today, end)
