"""What an action plan's targets and milestones must be.

A target goes the way its measure's figures should move (the scheme file's ``better``,
"higher" unless it says "lower"): a plan promising to go "from 50 FTE to 2 FTE" is refused,
unless the measure allows it (``allow_backwards_with_reason``, for a measure that can fall for
good reasons, such as jobs on a contract that ends), when the organisation says why and the
assessor sees it. A target the same as the baseline is not backwards: keeping a level is a
plan. Target dates and milestones fall within the plan's term (periods.plan_term), not in 2199.

The forms use these to put each message on its field; plans.save_target and add_milestone
check them again for any other caller.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from charter.formatting import format_date
from charter.models.scheme import BETTER_LOWER
from charter.services.domain import periods
from workflows.lifecycle import TransitionRefused

REASON_LENGTH = 2000


def goes_backwards(measure, baseline: Decimal, target: Decimal) -> bool:
    if measure.better == BETTER_LOWER:
        return target > baseline
    return target < baseline


def _way(measure) -> str:
    return "lower" if measure.better == BETTER_LOWER else "higher"


def _opposite(measure) -> str:
    return "higher" if measure.better == BETTER_LOWER else "lower"


def direction_problem(
    measure, baseline: Decimal, target: Decimal, reason: str | None
) -> tuple[str, str] | None:
    """The field and message for a target going the wrong way, or None."""
    if not goes_backwards(measure, baseline, target):
        return None
    if not measure.allow_backwards_with_reason:
        return (
            "target_value",
            f"The target must be the same as or {_way(measure)} than the baseline, because a "
            f"{_way(measure)} figure is better for {measure.code}",
        )
    if not (reason or "").strip():
        return (
            "backwards_reason",
            f"Enter why the target is {_opposite(measure)} than the baseline",
        )
    return None


def term_for(plan_start: date | None, today: date | None = None) -> periods.Period:
    """The term of a plan revised today; ``plan_start`` is plans.monitoring_start (None before
    a first plan is approved)."""
    return periods.plan_term(plan_start, today or date.today())


def date_problem(what: str, day: date, term: periods.Period) -> str | None:
    """``what`` is "target date" or "milestone date"."""
    if day > term.end:
        ends = format_date(term.end)
        return f"The {what} must be on or before {ends}, when your action plan ends"
    return None


def check_target(plan_start, measure, *, baseline, target_value, target_date, reason) -> None:
    """Raise TransitionRefused if the target breaks a rule (the form has said it already)."""
    problem = direction_problem(measure, baseline, target_value, reason)
    message = (
        problem[1] if problem else date_problem("target date", target_date, term_for(plan_start))
    )
    if message:
        raise TransitionRefused(message)


def check_milestone(plan_start, due_date: date) -> None:
    message = date_problem("milestone date", due_date, term_for(plan_start))
    if message:
        raise TransitionRefused(message)
