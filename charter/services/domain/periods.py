"""Monitoring periods: calendar-aligned blocks of a scheme's ``monitoring_period_months``.

Pure functions on dates, no database. Blocks are counted from January, so quarterly periods are
January to March, April to June, July to September and October to December; a six-monthly
scheme has January to June and July to December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from charter.formatting import format_period


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        """ "1 January to 31 March 2027" (the year shown once when both ends share it)."""
        return format_period(self.start, self.end)


def _months_since_year_zero(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_of(month_index: int) -> date:
    return date(month_index // 12, month_index % 12 + 1, 1)


def period_containing(day: date, months: int) -> Period:
    if months < 1:
        raise ValueError("a monitoring period is at least one month long")
    first = _months_since_year_zero(day) // months * months
    return Period(_first_of(first), _first_of(first + months) - timedelta(days=1))


def next_period(period: Period, months: int) -> Period:
    return period_containing(period.end + timedelta(days=1), months)


def periods_between(start: date, end: date, months: int) -> list[Period]:
    """Every period from the one containing ``start`` that has ended by ``end``: its last day
    is before ``end``."""
    periods = []
    period = period_containing(start, months)
    while period.end < end:
        periods.append(period)
        period = next_period(period, months)
    return periods


def most_recent_ended(today: date, months: int) -> Period:
    return period_containing(period_containing(today, months).start - timedelta(days=1), months)


def due_date(period_end: date, return_due_days: int) -> date:
    return period_end + timedelta(days=return_due_days)


def sanction_date(due: date, grace_period_days: int) -> date:
    """The day a return still not sent by then costs the organisation its standing (it lapses,
    or a holder's Charter Mark is suspended): the day after the grace period ends."""
    return due + timedelta(days=grace_period_days + 1)


def is_overdue(due: date, today: date) -> bool:
    return today > due


def is_late(submitted_at: datetime | date, due: date) -> bool:
    """Sent after the due date; anything on the due date itself is on time."""
    day = submitted_at.date() if isinstance(submitted_at, datetime) else submitted_at
    return day > due


# --- plan years ---------------------------------------------------------------------------------
#
# A flow target (money, hours, weeks, counts) is an annual target for each plan year. Plan year 1
# starts on the day the organisation's first action plan was approved; each later one on that
# day's anniversary. A monitoring period counts in the plan year in which it ENDS, so a period
# straddling two plan years counts wholly in the later one (periods are never split: a return
# gives one figure for the whole period).


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, order=True)
class PlanYear:
    number: int  # 1 for the year starting on the approval day
    start: date
    end: date

    @property
    def label(self) -> str:
        """ "the plan year 1 April 2026 to 31 March 2027" """
        return f"the plan year {format_period(self.start, self.end)}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def plan_year(plan_start: date, number: int) -> PlanYear:
    start = add_years(plan_start, number - 1)
    return PlanYear(number, start, add_years(plan_start, number) - timedelta(days=1))


def plan_year_containing(plan_start: date, day: date) -> PlanYear | None:
    """The plan year ``day`` falls in, or None before the plan started."""
    if day < plan_start:
        return None
    number = day.year - plan_start.year + 1
    while number > 1 and plan_year(plan_start, number).start > day:
        number -= 1
    while plan_year(plan_start, number).end < day:
        number += 1
    return plan_year(plan_start, number)


# A plan's term: what its targets and milestones may be dated in. A working-towards year and the
# two years a Mark lasts: plan year 1 (from the first approval) to the end of the plan year two
# after the current one, so a revision made in plan year 3 may plan to the end of year 5.
PLAN_TERM_YEARS_AHEAD = 2


def plan_term(plan_start: date | None, today: date) -> Period:
    """The term of an action plan revised on ``today``; a first plan, not yet approved, starts
    today."""
    start = plan_start or today
    current = plan_year_containing(start, today) or plan_year(start, 1)
    return Period(start, plan_year(start, current.number + PLAN_TERM_YEARS_AHEAD).end)


def days_overlapping(start: date, end: date, other_start: date, other_end: date) -> int:
    """Days (inclusive) the two date ranges share; 0 when they do not meet."""
    return max(0, (min(end, other_end) - max(start, other_start)).days + 1)
