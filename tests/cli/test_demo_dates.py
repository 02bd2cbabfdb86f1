"""The demo's story holds on every date: the demo is built as if on days spread over the next
two years (the first days of each quarter, when the latest returns are only just due, and the
last ones, when an unsent return would already have cost its organisation its standing), and
every check in demo_story.py holds on each.

Each quarter is built on some of those days, in turn: the first and the mid-way day and the
one before the last in one quarter, the second and the last day in the next, so over two years
each kind of day comes four times, in quarters of every length (twenty builds, where every day
of every quarter made forty and cost the run minutes).

Marked ``slow``: about a minute in all. `make test` runs it; to run the whole suite
on another date instead, see "Tests on another date" in docs/testing.md.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from charter.demo.builder import load_demo_data
from charter.extensions import db
from charter.models.base import utcnow
from charter.services.domain.periods import next_period, period_containing
from charter.services.domain.schemes import load_scheme_file
from tests.cli.demo_story import CHECKS, SCHEME_FILES

pytestmark = pytest.mark.slow

QUARTERS = 8  # two years
# Days into a quarter: its first two (the latest returns only just opened), one mid-way, and
# its last two (a return of the quarter before is then past its sanction date), as
# (days from its start, days from its end), taken in turn by one quarter and the next.
IN_TURN = (
    ((0, 45), (1,)),
    ((1,), (0,)),
)


def demo_dates(today: date) -> list[date]:
    dates = []
    period = period_containing(today, 3)
    for quarter in range(QUARTERS):
        from_start, from_end = IN_TURN[quarter % len(IN_TURN)]
        dates += [period.start + timedelta(days=d) for d in from_start]
        dates += [period.end - timedelta(days=d) for d in from_end]
        period = next_period(period, 3)
    return dates


def test_the_dates_span_two_years_and_every_part_of_a_quarter():
    dates = demo_dates(date(2026, 12, 6))
    assert len(dates) == 20 and len(set(dates)) == 20
    assert dates[0] == date(2026, 10, 1) and dates[-1] == date(2028, 9, 30)
    # Each kind of day four times: the first, mid-way and one-before-last of Oct-Dec 2026, the
    # second and last of Jan-Mar 2027 (90 days), and so on to a leap year's (91).
    assert {date(2026, 10, 1), date(2026, 11, 15), date(2026, 12, 30)} <= set(dates)
    assert {date(2027, 1, 2), date(2027, 3, 31), date(2028, 1, 2), date(2028, 3, 31)} <= set(dates)
    starts = [d for d in dates if d.day in (1, 2) and d.month in (1, 4, 7, 10)]
    ends = [d for d in dates if (d + timedelta(days=2)).day in (1, 2)]
    assert len(starts) == 8 and len(ends) == 8


@pytest.mark.parametrize("day", demo_dates(utcnow().date()), ids=str)
def test_the_demo_tells_its_story_on(day, scheme):
    now = datetime.combine(day, time(12, 0))
    for path in SCHEME_FILES[1:]:  # the other charters, after Shropshire's
        load_scheme_file(path)
    load_demo_data(scheme, now=now)
    db.session.commit()
    failures = []
    for check in CHECKS:
        try:
            check(now)
        except AssertionError as error:
            failures.append(f"{check.__name__}: {error}")
    assert not failures, f"built as on {day}:\n" + "\n".join(failures)
