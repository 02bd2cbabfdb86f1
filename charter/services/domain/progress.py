"""Progress towards targets and the Charter Mark checklist, for the organisation dashboard, the
application page and the snapshot an application is judged on. They are the award rule's
measurements, so they are part of the domain: applying and the snapshot use them.

Only verified returns count: an organisation's own unverified figures are shown as such but do
not move it towards the Charter Mark. The rule (the same on every page, in the checklist and
in the application snapshot):

- A **flow** target (GBP, hours, weeks, count) is an annual target for each plan year. Plan year
  1 starts on the day the first action plan was approved (charter.services.domain.periods). A
  return counts in the plan year in which its period ends. Progress is what verified returns
  show in the current plan year; past plan years are shown separately. A flow target is met
  when the current plan year's figure reaches it, or when the last completed plan year's did
  (so an organisation that met last year's target is not "not met" on the first day of a new
  year); the page says which year it was met in.
- A **stock** target (FTE, percent) is a level to reach by its date: progress is the latest
  verified figure, and the page says which period that was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Integer, Select, bindparam, func, select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import (
    ActionPlan,
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    Scheme,
)
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import STOCK_UNITS
from charter.services.domain import contract_evidence, counted_figures, periods, signings
from charter.services.domain.marks import evidence_since
from charter.services.domain.plans import approved_plan, monitoring_start

LATEST_VALUE_UNITS = STOCK_UNITS


@dataclass(frozen=True)
class Window:
    """The period a progress figure covers, and how a page says so."""

    start: date
    end: date
    label: str  # "in the plan year 1 April 2026 to 31 March 2027"

    def as_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


@dataclass(frozen=True)
class YearFigure:
    """A flow's verified total in one plan year."""

    window: Window
    achieved: Decimal
    periods: int
    is_met: bool


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    baseline: Decimal
    target_value: Decimal
    target_date: object
    achieved: Decimal  # in the current plan year for a flow; the latest figure for a stock
    periods: int  # verified periods counted in ``achieved``
    window: Window | None  # what ``achieved`` covers (None: no plan year or nothing verified)
    past_years: tuple[YearFigure, ...] = field(default=())

    @property
    def is_cumulative(self) -> bool:
        return self.measure.unit not in LATEST_VALUE_UNITS

    @property
    def met_now(self) -> bool:
        return self.periods > 0 and self.achieved >= self.target_value

    @property
    def met_in(self) -> Window | None:
        """The window in which the target was met: now, or (flows) the last completed year."""
        if self.met_now:
            return self.window
        if self.is_cumulative and self.past_years and self.past_years[-1].is_met:
            return self.past_years[-1].window
        return None

    @property
    def is_met(self) -> bool:
        return self.met_in is not None

    @property
    def social_value(self) -> Decimal | None:
        """Achieved × the scheme's proxy value; None where the scheme sets no proxy."""
        if self.measure.proxy_value is None:
            return None
        return (self.achieved * self.measure.proxy_value).quantize(Decimal("0.01"))

    @property
    def percent_of_target(self) -> int:
        if self.target_value <= 0:
            return 100 if self.periods else 0
        return int(self.achieved * 100 / self.target_value)


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    done: bool
    detail: str


def flow_window(year: periods.PlanYear) -> Window:
    return Window(year.start, year.end, f"in {year.label}")


def stock_window(period_start: date, period_end: date) -> Window:
    label = periods.Period(period_start, period_end).label
    return Window(period_start, period_end, f"latest, for {label}")


def plan_start(organisation: Organisation) -> date | None:
    """Day 1 of plan year 1: the first approval of an action plan."""
    return monitoring_start(organisation)


def current_plan_year(organisation: Organisation, today: date | None = None):
    start = plan_start(organisation)
    if start is None:
        return None
    return periods.plan_year_containing(start, today or date.today())


def assessed_window(organisation: Organisation, today: date | None = None) -> Window | None:
    """The periods an application is judged on: the last completed plan year and the current
    one (flows are met in either); also the window for the share of endorsed figures."""
    year = current_plan_year(organisation, today)
    if year is None:
        return None
    first = periods.plan_year(plan_start(organisation), max(1, year.number - 1))
    return Window(first.start, year.end, f"from {format_date(first.start)} to date")


def _flow(values: list[tuple[date, Decimal]], year, target: Decimal, start: date):
    """The current year's total and count, and each past year's, from (period end, value)."""
    by_year: dict[int, list[Decimal]] = {}
    for period_end, value in values:
        found = periods.plan_year_containing(start, period_end)
        if found is not None:
            by_year.setdefault(found.number, []).append(value)
    current = by_year.get(year.number, [])
    past = tuple(
        YearFigure(
            flow_window(periods.plan_year(start, number)),
            sum(by_year.get(number, []), Decimal(0)),
            len(by_year.get(number, [])),
            bool(by_year.get(number)) and sum(by_year[number], Decimal(0)) >= target,
        )
        for number in range(1, year.number)
    )
    return sum(current, Decimal(0)), len(current), past


def measure_progress(
    organisation: Organisation, today: date | None = None
) -> list[MeasureProgress]:
    """Each target of the approved plan against what verified returns show. Five queries."""
    plan = approved_plan(organisation)
    if plan is None:
        return []
    return progress_against(organisation, plan, plan_start(organisation), today)


def progress_against(
    organisation: Organisation,
    plan: ActionPlan,
    start: date | None,
    today: date | None = None,
    *,
    measures: tuple[tuple, tuple] | None = None,
) -> list[MeasureProgress]:
    """``measure_progress`` with its approved ``plan`` and ``plan_start`` read already (an
    organisation's public page reads them with the rest of the page). Two queries, and two
    more unless the charter's ``measures`` are given (``counted_figures.charter_measures``)."""
    year = periods.plan_year_containing(start, today or date.today()) if start else None
    rows = db.session.execute(_targets_statement(), {"plan_id": plan.id}).all()
    # The figures counted for this signing's charter: its own returns', and another
    # charter's return's for a measure of the same reference (counted_figures).
    signing = signings.signing_of(organisation)
    statement = counted_figures.of_organisation(signing.charter_id, measures)
    verified = db.session.execute(statement, {"organisation_id": organisation.id}).all()
    by_code: dict[str, list[tuple[date, date, Decimal]]] = {}
    for code, value, period_start, period_end in verified:
        by_code.setdefault(code, []).append((period_start, period_end, value))

    progress = []
    for target, measure in rows:
        values = by_code.get(measure.code, [])
        past: tuple[YearFigure, ...] = ()
        if not measure.is_flow:
            latest = values[-1] if values else None
            achieved = latest[2] if latest else Decimal(0)
            counted = 1 if latest else 0
            window = stock_window(latest[0], latest[1]) if latest else None
        elif year is None:
            achieved, counted, window = Decimal(0), 0, None
        else:
            achieved, counted, past = _flow(
                [(end, value) for _start, end, value in values], year, target.target_value, start
            )
            window = flow_window(year)
        progress.append(
            MeasureProgress(
                measure=measure,
                baseline=target.baseline,
                target_value=target.target_value,
                target_date=target.target_date,
                achieved=achieved,
                periods=counted,
                window=window,
                past_years=past,
            )
        )
    return progress


@cache
def _targets_statement() -> Select:
    """The plan's targets with their measures, in the scheme's order: built once."""
    return (
        select(PlanTarget, Measure)
        .join(Measure, Measure.id == PlanTarget.measure_id)
        .where(PlanTarget.plan_id == bindparam("plan_id", type_=Integer))
        .order_by(Measure.position)
    )


def social_value_total(progress: list[MeasureProgress]) -> Decimal | None:
    """The monetised total, or None when no measure has a proxy value."""
    values = [p.social_value for p in progress if p.social_value is not None]
    return sum(values, Decimal(0)) if values else None


def verified_return_count(organisation: Organisation, since: date | None = None) -> int:
    """Verified returns; with ``since``, only those for periods ending after it (the award
    date of the organisation's Charter Mark, for a renewal or an application after it)."""
    query = (
        select(func.count())
        .select_from(MonitoringReturn)
        .where(
            signings.belongs(MonitoringReturn, organisation),
            MonitoringReturn.status == RETURN_VERIFIED,
        )
    )
    if since is not None:
        query = query.where(MonitoringReturn.period_end > since)
    return db.session.scalar(query)


def charter_mark_checklist(
    organisation: Organisation,
    scheme: Scheme,
    progress: list[MeasureProgress],
    today: date | None = None,
) -> list[ChecklistItem]:
    """What the organisation still needs before it can apply, from the scheme's rules: the same
    definitions as the eligibility check and the award rule's evidence."""
    since = evidence_since(organisation)
    verified = verified_return_count(organisation, since)
    needed = scheme.min_verified_returns
    returns_word = f"verified monitoring return{'s' if needed != 1 else ''}"
    since_words = f" since your Charter Mark was awarded on {format_date(since)}" if since else ""
    core = [p for p in progress if p.measure.is_core]
    core_met = sum(1 for p in core if p.is_met)
    met = sum(1 for p in progress if p.is_met)
    share = int(met * 100 / len(progress)) if progress else 0
    minimum_share = int(scheme.award_min_share_met)
    items = [
        ChecklistItem(text, done, detail)
        for text, done, detail in contract_evidence.checklist(
            organisation, scheme, assessed_window(organisation, today)
        )
    ]
    items.append(
        ChecklistItem(
            f"{needed} {returns_word}{since_words}",
            verified >= needed,
            f"{verified} verified{since_words and ' since ' + format_date(since)}",
        )
    )
    if scheme.award_all_core_met:
        items.append(
            ChecklistItem(
                "Every core measure's target met",
                bool(core) and core_met == len(core),
                f"{core_met} of {len(core)} met",
            )
        )
    items.append(
        ChecklistItem(
            f"At least {minimum_share}% of all targets met",
            bool(progress) and share >= minimum_share,
            f"{met} of {len(progress)} met ({share}%)",
        )
    )
    return items
