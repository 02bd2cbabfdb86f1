"""The monitoring-return jobs: open periods, remind, lapse a signatory that stops reporting.

These run one organisation (or return) at a time in its own transaction; the set-based jobs in
the sibling modules show the batched form they will move to.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Scheme
from charter.models.monitoring import RETURN_DRAFT, RETURN_QUERIED
from charter.services.domain import periods
from charter.services.domain import returns as returns_service
from charter.services.domain.lifecycle import system_actor, transition
from charter.services.domain.reviews.common import (
    Skip,
    dashboard_url,
    each,
    fresh_organisation,
    give_notice,
    long_date,
    scheme_by_id,
)
from charter.services.domain.reviews.notify import remind_members
from workflows import lifecycle

LAPSABLE_STATES = (lifecycle.SIGNATORY, lifecycle.PLAN_SUBMITTED, lifecycle.MONITORING)
# Who is still expected to send the returns they have open (retrospective ones included).
REMINDED_STATES = returns_service.MONITORED_STATES + returns_service.RETROSPECTIVE_STATES
OPEN_RETURN_STATUSES = (RETURN_DRAFT, RETURN_QUERIED)


def open_monitoring_periods(today: date) -> dict:
    """Open a draft return for every ended monitoring period that has none yet."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .where(Organisation.status.in_(returns_service.MONITORED_STATES))
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> dict:
        organisation = fresh_organisation(organisation_id, returns_service.MONITORED_STATES)
        opened = returns_service.ensure_returns(organisation, today)
        return {"organisations_checked": 1, "returns_opened": len(opened)}

    each(ids, work, counts)
    return {"organisations_checked": 0, "returns_opened": 0, "skipped": 0, **counts}


def remind_returns_due(today: date) -> dict:
    """Remind members once when a return falls due within the scheme's reminder window, and
    once when it is overdue and has never been sent."""
    counts: Counter = Counter()
    longest_window = db.session.scalar(select(func.max(Scheme.reminder_days_before_due))) or 0
    candidates = db.session.scalars(
        select(MonitoringReturn.id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .where(
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.due_date <= today + timedelta(days=longest_window),
            Organisation.status.in_(REMINDED_STATES),
        )
        .order_by(MonitoringReturn.due_date, MonitoringReturn.id)
    ).all()

    def work(return_id: int) -> str | None:
        monitoring_return = db.session.get(MonitoringReturn, return_id, populate_existing=True)
        if monitoring_return.status not in OPEN_RETURN_STATUSES:
            raise Skip
        organisation = fresh_organisation(monitoring_return.organisation_id, REMINDED_STATES)
        scheme = scheme_by_id(organisation.scheme_id)
        if scheme is None:
            raise Skip
        due = monitoring_return.due_date
        if periods.is_overdue(due, today):
            # A queried return was sent on time once; it is being checked, not overdue.
            if monitoring_return.first_submitted_at is not None:
                return None
            kind, template, outcome = "return_overdue", "review-return-overdue", "overdue_sent"
            subject = f"{organisation.name}: your monitoring return is overdue"
        elif due <= today + timedelta(days=scheme.reminder_days_before_due):
            kind, template, outcome = "return_due_soon", "review-return-due-soon", "due_soon_sent"
            subject = f"{organisation.name}: your monitoring return is due on {long_date(due)}"
        else:
            return None
        if not give_notice(organisation.id, kind, f"return:{monitoring_return.id}"):
            return None
        # A reminder: not sent to those who turned reminders off, with one-click unsubscribe.
        remind_members(
            organisation,
            monitoring_return,
            subject,
            template,
            grace_period_days=scheme.grace_period_days,
            lapses_on=due + timedelta(days=scheme.grace_period_days + 1),
            is_holder=organisation.status in lifecycle.HOLDING,
        )
        return outcome

    each(candidates, work, counts)
    return {"due_soon_sent": 0, "overdue_sent": 0, "skipped": 0, **counts}


def _oldest_lapsing_return(organisation: Organisation, today: date) -> MonitoringReturn | None:
    scheme = scheme_by_id(organisation.scheme_id)
    if scheme is None:
        return None
    return db.session.scalar(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.submitted_at.is_(None),
            MonitoringReturn.due_date < today - timedelta(days=scheme.grace_period_days),
        )
        .order_by(MonitoringReturn.due_date, MonitoringReturn.id)
        .limit(1)
    )


def lapse_overdue(today: date) -> dict:
    """Lapse an organisation whose return is overdue by more than the grace period and was
    never sent (overdue by exactly the grace period is still within it)."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .join(MonitoringReturn, MonitoringReturn.organisation_id == Organisation.id)
        .where(
            Organisation.status.in_(LAPSABLE_STATES),
            MonitoringReturn.status.in_(OPEN_RETURN_STATUSES),
            MonitoringReturn.first_submitted_at.is_(None),
            MonitoringReturn.due_date < today,
        )
        .distinct()
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = fresh_organisation(organisation_id, LAPSABLE_STATES)
        missed = _oldest_lapsing_return(organisation, today)
        if missed is None:
            return None
        period = periods.Period(missed.period_start, missed.period_end)
        reason = (
            f"The monitoring return for {period.label} was due on {long_date(missed.due_date)} "
            "and was not sent within the grace period."
        )
        transition(organisation, "lapse", system_actor(), reason=reason)
        give_notice(organisation.id, "lapsed", f"return:{missed.id}")
        returns_service.tell_members(
            organisation,
            missed,
            f"{organisation.name} has lapsed from the Social Value Charter",
            "review-lapsed",
            reason=reason,
            dashboard_url=dashboard_url(organisation),
        )
        return "lapsed"

    each(ids, work, counts)
    return {"lapsed": 0, "skipped": 0, **counts}
