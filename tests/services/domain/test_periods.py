"""Monitoring periods: calendar-aligned blocks, due dates and lateness."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from charter.services.domain.periods import (
    Period,
    due_date,
    is_late,
    most_recent_ended,
    next_period,
    period_containing,
    periods_between,
)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2027, 1, 1), date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 8, 15), date(2027, 7, 1), date(2027, 9, 30)),
        (date(2027, 12, 31), date(2027, 10, 1), date(2027, 12, 31)),
        (date(2028, 2, 29), date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_quarterly_periods_follow_the_calendar(day, start, end):
    assert period_containing(day, 3) == Period(start, end)


def test_other_lengths_are_aligned_to_january():
    assert period_containing(date(2027, 8, 1), 6) == Period(date(2027, 7, 1), date(2027, 12, 31))
    assert period_containing(date(2027, 8, 1), 12) == Period(date(2027, 1, 1), date(2027, 12, 31))
    assert period_containing(date(2027, 2, 10), 1) == Period(date(2027, 2, 1), date(2027, 2, 28))
    with pytest.raises(ValueError):
        period_containing(date(2027, 1, 1), 0)


def test_the_label_reads_like_a_sentence():
    assert Period(date(2027, 1, 1), date(2027, 3, 31)).label == "1 January to 31 March 2027"
    assert (
        Period(date(2026, 12, 1), date(2027, 2, 28)).label == "1 December 2026 to 28 February 2027"
    )


def test_next_period_crosses_the_year():
    q4 = period_containing(date(2027, 11, 5), 3)
    assert next_period(q4, 3) == Period(date(2028, 1, 1), date(2028, 3, 31))


def test_periods_between_lists_only_ended_periods_from_the_start_period():
    start = date(2027, 2, 14)  # inside January to March
    assert periods_between(start, date(2027, 3, 31), 3) == []
    assert periods_between(start, date(2027, 4, 1), 3) == [
        Period(date(2027, 1, 1), date(2027, 3, 31))
    ]
    ended = periods_between(start, date(2028, 1, 2), 3)
    assert [p.start for p in ended] == [
        date(2027, 1, 1),
        date(2027, 4, 1),
        date(2027, 7, 1),
        date(2027, 10, 1),
    ]


def test_most_recent_ended_period():
    assert most_recent_ended(date(2027, 5, 20), 3) == Period(date(2027, 1, 1), date(2027, 3, 31))
    assert most_recent_ended(date(2027, 1, 1), 3) == Period(date(2026, 10, 1), date(2026, 12, 31))


def test_due_date_and_lateness():
    due = due_date(date(2027, 3, 31), 30)
    assert due == date(2027, 4, 30)
    assert not is_late(datetime(2027, 4, 30, 23, 59), due)
    assert is_late(datetime(2027, 5, 1, 0, 0), due)
    assert not is_late(date(2027, 4, 1), due)
