"""The periods the impact page reports on: quarters, financial years and all time.

A figure belongs to the quarter and the financial year (1 April to 31 March, as councils
report) in which its monitoring period ends, so a six-monthly or quarterly return is never
split or counted twice. Keys are what the URL and the open data carry: "2027-Q1" (January to
March 2027), "2026-27" (1 April 2026 to 31 March 2027) and "all".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from charter.formatting import format_period

ALL = "all"
QUARTER = "quarter"
YEAR = "year"

_QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_KEY = re.compile(r"^(\d{4})-(\d{2})$")
# Keys outside these years are refused as unknown rather than turned into dates.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class ImpactPeriod:
    key: str
    kind: str
    start: date | None
    end: date | None

    @property
    def label(self) -> str:
        if self.kind == ALL:
            return "All time"
        if self.kind == QUARTER:
            return f"{self.start:%B} to {self.end:%B %Y}"
        return f"April {self.start.year} to March {self.end.year}"

    @property
    def long_label(self) -> str:
        if self.kind == ALL:
            return "since the charter began"
        return format_period(self.start, self.end)

    @property
    def previous(self) -> ImpactPeriod | None:
        """The same period a year earlier, to show how a figure moved; None for all time."""
        if self.kind == ALL:
            return None
        if self.kind == YEAR:
            return year_of(self.start.replace(year=self.start.year - 1))
        return quarter_of(self.end.replace(year=self.end.year - 1))


def quarter_of(day: date) -> ImpactPeriod:
    quarter = (day.month - 1) // 3 + 1
    start = date(day.year, 3 * quarter - 2, 1)
    end = (date(day.year + 1, 1, 1) if quarter == 4 else date(day.year, 3 * quarter + 1, 1)) - (
        timedelta(days=1)
    )
    return ImpactPeriod(f"{day.year}-Q{quarter}", QUARTER, start, end)


def year_of(day: date) -> ImpactPeriod:
    first = day.year if day.month >= 4 else day.year - 1
    return ImpactPeriod(
        f"{first}-{(first + 1) % 100:02d}", YEAR, date(first, 4, 1), date(first + 1, 3, 31)
    )


ALL_TIME = ImpactPeriod(ALL, ALL, None, None)


def parse_period(key: str) -> ImpactPeriod | None:
    """The period a key names, or None when it names none (the page then says so)."""
    if key == ALL:
        return ALL_TIME
    if match := _QUARTER_KEY.match(key):
        year, quarter = int(match[1]), int(match[2])
        if FIRST_YEAR <= year <= LAST_YEAR:
            return quarter_of(date(year, 3 * quarter, 1))
    if match := _YEAR_KEY.match(key):
        year = int(match[1])
        if FIRST_YEAR <= year <= LAST_YEAR and int(match[2]) == (year + 1) % 100:
            return year_of(date(year, 4, 1))
    return None


def latest_complete_year(today: date) -> ImpactPeriod:
    """The most recent financial year that has ended by ``today``."""
    return year_of(year_of(today).start - timedelta(days=1))


def keys_of(period_end: date) -> tuple[str, str]:
    """The quarter and financial-year keys of a figure for a period ending on ``period_end``."""
    return quarter_of(period_end).key, year_of(period_end).key
