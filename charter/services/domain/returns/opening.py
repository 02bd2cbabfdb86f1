"""Opening monitoring returns: one draft per period ended since monitoring started (safe to
run twice, or in two processes at once), and the one retrospective return an "already
delivering" organisation may send before its plan is approved."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import (
    ActionPlan,
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
    Scheme,
    Signing,
)
from charter.models.monitoring import RETURN_DRAFT
from charter.models.plan import PLAN_APPROVED, PLAN_SUPERSEDED
from charter.services.domain import periods, pledge_periods, signings
from charter.services.infrastructure.bulk_insert import among, insert_ignoring, insert_many
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

# States in which an organisation with an approved plan keeps sending returns.
MONITORED_STATES = (
    # The signatory's duties: monitored, whatever the state of its Mark (an application under
    # assessment, a Mark held, renewed or suspended for a missed duty: still reporting).
    lifecycle.MONITORING,
)
ALREADY_DELIVERING = "already_delivering"
# Signed, plan not yet approved: when an "already delivering" organisation may send its
# retrospective first return.
RETROSPECTIVE_STATES = (lifecycle.SIGNATORY, lifecycle.PLAN_SUBMITTED)
# --- opening returns ------------------------------------------------------------------------


def _create_return(
    organisation, period, due, measure_ids, covers=None, **fields
) -> MonitoringReturn | None:
    """Add the return and its lines in a savepoint; None if another process made it first.
    ``covers``: by measure id, the first day of the period a line covers where that is not
    the return's (pledge_periods)."""
    try:
        with db.session.begin_nested():
            monitoring_return = MonitoringReturn(
                organisation_id=organisation.id,
                signing_id=signings.signing_id_of(organisation),
                period_start=period.start,
                period_end=period.end,
                due_date=due,
                status=RETURN_DRAFT,
                **fields,
            )
            db.session.add(monitoring_return)
            db.session.flush()
            for measure_id in measure_ids:
                db.session.add(
                    ReturnLine(
                        return_id=monitoring_return.id,
                        measure_id=measure_id,
                        covers_start=(covers or {}).get(measure_id),
                    )
                )
            db.session.flush()
    except IntegrityError:
        return None
    return monitoring_return


class Opening(NamedTuple):
    """A draft return an organisation lacks: one ended period of its monitoring."""

    organisation_id: int
    plan_id: int
    period: periods.Period
    due: date


def returns_missing(organisation_ids, today: date) -> tuple[set[int], list[Opening]]:
    """Of the given organisations, those monitored now (read afresh), and the draft returns
    they lack: one per period ended since monitoring started that has none yet. Two queries
    however many organisations."""
    ids = list(organisation_ids)
    # Per signing of the charter acting (charter.models.signing.acting_charter): an organisation
    # that signed two charters has a plan and returns under each.
    started = (
        select(ActionPlan.signing_id, func.min(ActionPlan.decided_at).label("decided_at"))
        .where(
            among(ActionPlan.organisation_id, ids),
            ActionPlan.status.in_((PLAN_APPROVED, PLAN_SUPERSEDED)),
        )
        .group_by(ActionPlan.signing_id)
        .subquery()
    )
    later = aliased(ActionPlan)
    in_force = and_(  # the latest approved revision (approved_plan)
        ActionPlan.signing_id == Signing.id,
        ActionPlan.status == PLAN_APPROVED,
        ~exists().where(
            later.signing_id == ActionPlan.signing_id,
            later.status == PLAN_APPROVED,
            later.revision > ActionPlan.revision,
        ),
    )
    rows = db.session.execute(
        select(
            Organisation.id,
            started.c.decided_at,
            ActionPlan.id,
            Scheme.monitoring_period_months,
            Scheme.return_due_days,
        )
        .join(Signing, Signing.organisation_id == Organisation.id)
        .outerjoin(started, started.c.signing_id == Signing.id)
        .outerjoin(ActionPlan, in_force)
        .outerjoin(Scheme, Scheme.id == ActionPlan.scheme_id)
        .where(
            # On the signings, not the organisations: PostgreSQL does not carry an array
            # condition across the join, and read every monitored signing of the charter (60,000
            # of Shropshire's at 4 charters) for each batch of 1,000 organisations.
            among(Signing.organisation_id, ids),
            Signing.status.in_(MONITORED_STATES),
            signings.in_acting_charter(),
        )
    ).all()
    monitored = {row[0] for row in rows}
    planned = [row for row in rows if row[1] is not None and row[2] is not None]
    existing: dict[int, set[date]] = defaultdict(set)
    if planned:
        planned_ids = [row[0] for row in planned]
        for org_id, start in db.session.execute(
            select(MonitoringReturn.organisation_id, MonitoringReturn.period_start)
            .join(Signing, Signing.id == MonitoringReturn.signing_id)
            .where(
                among(MonitoringReturn.organisation_id, planned_ids),
                # The signings by organisation too, for the same reason as above.
                among(Signing.organisation_id, planned_ids),
                signings.in_acting_charter(),
            )
        ):
            existing[org_id].add(start)
    # Organisations that started monitoring in the same period share its list of periods.
    ended: dict[tuple[date, int], list[periods.Period]] = {}
    openings = []
    for org_id, decided_at, plan_id, months, due_days in planned:
        key = (periods.period_containing(decided_at.date(), months).start, months)
        if key not in ended:
            ended[key] = periods.periods_between(key[0], today, months)
        have = existing[org_id]
        openings += [
            Opening(org_id, plan_id, period, periods.due_date(period.end, due_days))
            for period in ended[key]
            if period.start not in have
        ]
    return monitored, openings


def _measure_ids(plan_ids) -> dict[int, list[tuple[int, int]]]:
    """Each plan's measures in the scheme's order, with their positions, in one query."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for plan_id, measure_id, position in db.session.execute(
        select(PlanTarget.plan_id, PlanTarget.measure_id, Measure.position)
        .join(Measure, Measure.id == PlanTarget.measure_id)
        .where(among(PlanTarget.plan_id, plan_ids))
        .order_by(PlanTarget.plan_id, Measure.position)
    ):
        out[plan_id].append((measure_id, position))
    return out


def _lines_of(openings: list[Opening]) -> dict[tuple[int, date], list[tuple[int, date | None]]]:
    """The lines each opening's return asks for, by (plan id, period start): its plan's
    measures and the pledges due in its period (pledge_periods). Three queries."""
    plan_ids = {o.plan_id for o in openings}
    planned = _measure_ids(plan_ids)
    pledged = pledge_periods.pledged_by_plan(plan_ids)
    months = dict(
        db.session.execute(
            select(ActionPlan.id, Scheme.monitoring_period_months)
            .join(Scheme, Scheme.id == ActionPlan.scheme_id)
            .where(among(ActionPlan.id, list(plan_ids)))
        ).all()
    )
    return {
        (o.plan_id, o.period.start): pledge_periods.lines_due(
            planned[o.plan_id], pledged[o.plan_id], o.period, months[o.plan_id]
        )
        for o in openings
    }


def open_returns(openings: list[Opening]) -> list[tuple[int, int, date]]:
    """Insert the draft returns and their lines in bulk (a return another process opened first
    is left alone, with its lines); (return id, organisation id, period start) of each opened
    now. Not committed."""
    if not openings:
        return []
    signing_of = signings.signing_ids_of({o.organisation_id for o in openings})
    opened = insert_ignoring(
        MonitoringReturn,
        [
            {
                "organisation_id": o.organisation_id,
                "signing_id": signing_of[o.organisation_id],
                "plan_id": o.plan_id,
                "period_start": o.period.start,
                "period_end": o.period.end,
                "due_date": o.due,
                "status": RETURN_DRAFT,
            }
            for o in openings
        ],
        ["signing_id", "period_start"],
        (MonitoringReturn.id, MonitoringReturn.organisation_id, MonitoringReturn.period_start),
    )
    plan_of = {(o.organisation_id, o.period.start): o.plan_id for o in openings}
    due = _lines_of(openings)
    lines = [
        {"return_id": return_id, "measure_id": measure_id, "covers_start": covers_start}
        for return_id, org_id, start in opened
        for measure_id, covers_start in due[(plan_of[(org_id, start)], start)]
    ]
    insert_many(ReturnLine, lines)
    return [tuple(row) for row in opened]


def ensure_returns(organisation: Organisation, today: date | None = None) -> list[MonitoringReturn]:
    """Open a draft return for every period that has ended since monitoring started and has
    none yet; safe to run twice or in two processes at once. Returns the ones it opened."""
    today = today or date.today()
    if organisation.status not in MONITORED_STATES:
        return []
    _, openings = returns_missing([organisation.id], today)
    if not openings:
        return []
    # The returns are the signing's acting now (signing_id_of): its plan's openings only.
    signing_id = signings.signing_id_of(organisation)
    plans = set(
        db.session.scalars(select(ActionPlan.id).where(ActionPlan.signing_id == signing_id))
    )
    openings = [o for o in openings if o.plan_id in plans]
    due = _lines_of(openings) if openings else {}
    opened = []
    for o in openings:
        lines = due[(o.plan_id, o.period.start)]
        created = _create_return(
            organisation,
            o.period,
            o.due,
            [measure_id for measure_id, _ in lines],
            {measure_id: start for measure_id, start in lines if start},
            plan_id=o.plan_id,
        )
        if created is not None:
            opened.append(created)
    return opened


def can_start_retrospective(organisation: Organisation) -> bool:
    """An "already delivering" signatory may send one return for the period before its plan."""
    signing = signings.signing_of(organisation)
    if signing is None or signing.route != ALREADY_DELIVERING:
        return False
    if organisation.status not in RETROSPECTIVE_STATES:
        return False
    return (
        db.session.scalar(
            select(MonitoringReturn.id)
            .where(signings.belongs(MonitoringReturn, organisation))
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
    scheme = db.session.get(Scheme, signings.scheme_id_of(organisation))
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
