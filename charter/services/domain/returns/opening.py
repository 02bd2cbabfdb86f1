"""Opening monitoring returns: one draft per period ended since monitoring started (safe to
run twice, or in two processes at once), and the one retrospective return an "already
delivering" organisation may send before its plan is approved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, PlanTarget, ReturnLine, Scheme
from charter.models.monitoring import RETURN_DRAFT
from charter.services.domain import periods
from charter.services.domain.plans import approved_plan, monitoring_start
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

# States in which an organisation with an approved plan keeps sending returns.
MONITORED_STATES = (
    lifecycle.MONITORING,
    lifecycle.UNDER_ASSESSMENT,
    lifecycle.INFORMATION_REQUESTED,
    lifecycle.ACCREDITED,
    lifecycle.RENEWAL_DUE,
    lifecycle.MARK_SUSPENDED,  # still a signatory, still reporting (issue 8)
)
ALREADY_DELIVERING = "already_delivering"
# Signed, plan not yet approved: when an "already delivering" organisation may send its
# retrospective first return.
RETROSPECTIVE_STATES = (lifecycle.SIGNATORY, lifecycle.PLAN_SUBMITTED)
# --- opening returns ------------------------------------------------------------------------


def _create_return(organisation, period, due, measure_ids, **fields) -> MonitoringReturn | None:
    """Add the return and its lines in a savepoint; None if another process made it first."""
    try:
        with db.session.begin_nested():
            monitoring_return = MonitoringReturn(
                organisation_id=organisation.id,
                period_start=period.start,
                period_end=period.end,
                due_date=due,
                status=RETURN_DRAFT,
                **fields,
            )
            db.session.add(monitoring_return)
            db.session.flush()
            for measure_id in measure_ids:
                db.session.add(ReturnLine(return_id=monitoring_return.id, measure_id=measure_id))
            db.session.flush()
    except IntegrityError:
        return None
    return monitoring_return


def ensure_returns(organisation: Organisation, today: date | None = None) -> list[MonitoringReturn]:
    """Open a draft return for every period that has ended since monitoring started and has
    none yet; safe to run twice or in two processes at once. Returns the ones it opened."""
    today = today or date.today()
    if organisation.status not in MONITORED_STATES:
        return []
    start = monitoring_start(organisation)
    plan = approved_plan(organisation)
    if start is None or plan is None:
        return []
    scheme = db.session.get(Scheme, plan.scheme_id)
    existing = set(
        db.session.scalars(
            select(MonitoringReturn.period_start).where(
                MonitoringReturn.organisation_id == organisation.id
            )
        )
    )
    missing = [
        p
        for p in periods.periods_between(start, today, scheme.monitoring_period_months)
        if p.start not in existing
    ]
    if not missing:
        return []
    measure_ids = list(
        db.session.scalars(
            select(PlanTarget.measure_id)
            .join(Measure, Measure.id == PlanTarget.measure_id)
            .where(PlanTarget.plan_id == plan.id)
            .order_by(Measure.position)
        )
    )
    opened = []
    for period in missing:
        due = periods.due_date(period.end, scheme.return_due_days)
        created = _create_return(organisation, period, due, measure_ids, plan_id=plan.id)
        if created is not None:
            opened.append(created)
    return opened


def can_start_retrospective(organisation: Organisation) -> bool:
    """An "already delivering" signatory may send one return for the period before its plan."""
    if organisation.route != ALREADY_DELIVERING or organisation.status not in RETROSPECTIVE_STATES:
        return False
    if organisation.scheme_id is None:
        return False
    return (
        db.session.scalar(
            select(MonitoringReturn.id)
            .where(MonitoringReturn.organisation_id == organisation.id)
            .limit(1)
        )
        is None
    )


def start_retrospective(organisation: Organisation, today: date | None = None) -> MonitoringReturn:
    today = today or date.today()
    if not can_start_retrospective(organisation):
        raise TransitionRefused(
            "Only an organisation that is already delivering social value can send a "
            "retrospective return, once, after signing the charter and before its action plan "
            "is approved."
        )
    scheme = db.session.get(Scheme, organisation.scheme_id)
    period = periods.most_recent_ended(today, scheme.monitoring_period_months)
    # Due a full due-period from now: the organisation may have signed long after it ended.
    due = max(
        periods.due_date(period.end, scheme.return_due_days),
        periods.due_date(today, scheme.return_due_days),
    )
    core_ids = list(
        db.session.scalars(
            select(Measure.id)
            .where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            .order_by(Measure.position)
        )
    )
    created = _create_return(organisation, period, due, core_ids, is_retrospective=True)
    if created is None:
        raise TransitionRefused("Your retrospective return has already been started.")
    return created
