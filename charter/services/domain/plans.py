"""Action plans: drafting revisions, submitting them, and assessors' decisions.

Plan status changes are conditional UPDATEs ("… WHERE status = 'submitted'"), so two people
acting on the same revision at once cannot both succeed: the second is told nothing changed.
Functions add to the session and never commit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ScalarSelect, Select, func, select, update
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Measure, Organisation, User
from charter.models.base import utcnow
from charter.models.plan import (
    PLAN_APPROVED,
    PLAN_DRAFT,
    PLAN_RETURNED,
    PLAN_SUBMITTED,
    PLAN_SUPERSEDED,
    ActionPlan,
    PlanMilestone,
    PlanTarget,
)
from charter.services import notices
from charter.services.domain import minimum_standards, plan_rules, signings
from charter.services.domain.lifecycle import actor_for, transition
from charter.services.domain.text import clean_text
from workflows import lifecycle
from workflows.lifecycle import Forbidden, TransitionRefused

# States in which the organisation has an approved plan, so a new revision is decided on its
# own, without moving the organisation through the lifecycle.
# The signatory's duties: monitored, whatever the state of its Mark.
PLAN_APPROVED_STATES = (lifecycle.MONITORING,)
# Where an organisation must be for an assessor to decide on its submitted plan (see decide).
DECIDABLE_STATES = (lifecycle.PLAN_SUBMITTED, *PLAN_APPROVED_STATES)


# --- reading ------------------------------------------------------------------------------


def plans_of(organisation: Organisation) -> list[ActionPlan]:
    """Every revision, newest first, with who decided each."""
    return list(
        db.session.scalars(
            select(ActionPlan)
            .options(joinedload(ActionPlan.decided_by))
            .where(signings.belongs(ActionPlan, organisation))
            .order_by(ActionPlan.revision.desc())
        )
    )


def approved_plan(organisation: Organisation) -> ActionPlan | None:
    """The plan in force: the latest approved revision."""
    return signings.row_of_signing(ActionPlan, organisation, approved_plan_id)


def approved_plan_id(organisation_id, signing_id) -> ScalarSelect[int]:
    """SQL: the id of ``approved_plan`` of the organisation's signing ``signing_id`` (NULL with
    none; ids or bound parameters), for a statement reading more with it (its public page)."""
    return (
        select(ActionPlan.id)
        .where(
            signings.of_signing(ActionPlan, organisation_id, signing_id),
            ActionPlan.status == PLAN_APPROVED,
        )
        .order_by(ActionPlan.revision.desc())
        .limit(1)
        .scalar_subquery()
    )


def monitoring_start(organisation: Organisation) -> date | None:
    """The day the organisation's first plan was approved: day 1 of plan year 1."""
    signing = signings.signing_of(organisation)
    if signing is None:
        return None
    return day_of(db.session.scalar(first_approval(organisation.id, signing.id)))


def first_approval(organisation_id, signing_id) -> Select[tuple[datetime | None]]:
    """SQL, one value: when the first plan of the organisation's signing ``signing_id`` was
    approved (``monitoring_start``'s day; ids or bound parameters)."""
    return select(func.min(ActionPlan.decided_at)).where(
        signings.of_signing(ActionPlan, organisation_id, signing_id),
        ActionPlan.status.in_((PLAN_APPROVED, PLAN_SUPERSEDED)),
    )


def day_of(decided: datetime | None) -> date | None:
    return decided.date() if decided is not None else None


def _plan_start(plan: ActionPlan) -> date | None:
    return monitoring_start(db.session.get(Organisation, plan.organisation_id))


def plan_by_id(plan_id: int) -> ActionPlan | None:
    return db.session.get(ActionPlan, plan_id)


def targets_of(plan: ActionPlan) -> list[PlanTarget]:
    return list(
        db.session.scalars(
            select(PlanTarget)
            .options(joinedload(PlanTarget.measure))
            .where(PlanTarget.plan_id == plan.id)
            .order_by(PlanTarget.id)
        )
    )


def milestones_of(plan: ActionPlan) -> list[PlanMilestone]:
    return list(
        db.session.scalars(
            select(PlanMilestone)
            .where(PlanMilestone.plan_id == plan.id)
            .order_by(PlanMilestone.due_date, PlanMilestone.id)
        )
    )


def measures_for(plan: ActionPlan) -> list[Measure]:
    return list(
        db.session.scalars(
            select(Measure).where(Measure.scheme_id == plan.scheme_id).order_by(Measure.position)
        )
    )


def measure_by_code(plan: ActionPlan, code: str) -> Measure | None:
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == plan.scheme_id, Measure.code == code)
    )


def missing_core_measures(measures: list[Measure], targets: list[PlanTarget]) -> list[Measure]:
    with_target = {t.measure_id for t in targets}
    return [m for m in measures if m.is_core and m.id not in with_target]


# --- drafting -----------------------------------------------------------------------------


def require_draft(plan: ActionPlan | None) -> ActionPlan:
    if plan is None:
        raise TransitionRefused("Start your action plan first.")
    if plan.status != PLAN_DRAFT:
        raise TransitionRefused(
            f"You can only change a draft action plan. Revision {plan.revision} is "
            f"‘{plan.status_label}’. To change an approved plan, start a new revision."
        )
    return plan


def start_revision(organisation: Organisation, user: User) -> ActionPlan:
    """A new draft: empty for the first plan, else a copy of the latest revision's targets and
    milestones (an approved plan being revised, or a returned one being corrected)."""
    signed_scheme_id = signings.scheme_id_of(organisation)
    if organisation.status == lifecycle.REGISTERED or signed_scheme_id is None:
        raise TransitionRefused("Sign the charter before you write your action plan.")
    latest = (plans_of(organisation) or [None])[0]
    if latest is not None and latest.status == PLAN_DRAFT:
        return latest
    if latest is not None and latest.status == PLAN_SUBMITTED:
        raise TransitionRefused(
            "Your action plan is waiting for review. You can start a new revision once an "
            "assessor has decided on it."
        )
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signings.signing_id_of(organisation),
        scheme_id=latest.scheme_id if latest else signed_scheme_id,
        revision=(latest.revision + 1) if latest else 1,
        status=PLAN_DRAFT,
        created_by_id=user.id,
    )
    db.session.add(plan)
    db.session.flush()
    if latest is not None:
        for target in targets_of(latest):
            db.session.add(
                PlanTarget(
                    plan_id=plan.id,
                    measure_id=target.measure_id,
                    baseline=target.baseline,
                    target_value=target.target_value,
                    target_date=target.target_date,
                    approach=target.approach,
                )
            )
        for milestone in milestones_of(latest):
            db.session.add(
                PlanMilestone(plan_id=plan.id, title=milestone.title, due_date=milestone.due_date)
            )
    return plan


def target_for(plan: ActionPlan, measure: Measure) -> PlanTarget | None:
    return db.session.scalar(
        select(PlanTarget).where(PlanTarget.plan_id == plan.id, PlanTarget.measure_id == measure.id)
    )


def save_target(
    plan: ActionPlan,
    measure: Measure,
    *,
    baseline: Decimal,
    target_value: Decimal,
    target_date: date,
    approach: str,
    backwards_reason: str | None = None,
) -> PlanTarget:
    require_draft(plan)
    reason = (backwards_reason or "").strip() or None
    plan_rules.check_target(
        _plan_start(plan),
        measure,
        baseline=baseline,
        target_value=target_value,
        target_date=target_date,
        reason=reason,
    )
    target = target_for(plan, measure) or PlanTarget(plan_id=plan.id, measure_id=measure.id)
    target.baseline = baseline
    target.target_value = target_value
    target.target_date = target_date
    target.approach = approach
    # Kept only while the target goes backwards: a reason for nothing would mislead.
    target.backwards_reason = (
        reason if plan_rules.goes_backwards(measure, baseline, target_value) else None
    )
    db.session.add(target)
    return target


def remove_target(plan: ActionPlan, measure: Measure) -> None:
    require_draft(plan)
    if measure.is_core:
        raise TransitionRefused(
            f"{measure.code} is a core measure: every action plan needs a target for it."
        )
    target = target_for(plan, measure)
    if target is not None:
        db.session.delete(target)


def add_milestone(plan: ActionPlan, title: str, due_date: date) -> PlanMilestone:
    require_draft(plan)
    plan_rules.check_milestone(_plan_start(plan), due_date)
    milestone = PlanMilestone(plan_id=plan.id, title=clean_text(title), due_date=due_date)
    db.session.add(milestone)
    return milestone


def remove_milestone(plan: ActionPlan, milestone_id: int) -> None:
    require_draft(plan)
    milestone = db.session.get(PlanMilestone, milestone_id)
    if milestone is not None and milestone.plan_id == plan.id:
        db.session.delete(milestone)


# --- submitting and deciding ----------------------------------------------------------------


def _claim(plan: ActionPlan, from_status: str, **values) -> None:
    """Move the plan on from ``from_status`` only if nobody else has moved it first."""
    done = db.session.execute(
        update(ActionPlan)
        .where(ActionPlan.id == plan.id, ActionPlan.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise TransitionRefused(
            "Someone else changed this action plan while you were working on it. "
            "Check the latest version."
        )
    db.session.refresh(plan)


def submit(organisation: Organisation, plan: ActionPlan, user: User) -> None:
    if plan.status != PLAN_DRAFT:
        raise TransitionRefused(
            f"Revision {plan.revision} has already been sent: it is ‘{plan.status_label}’."
        )
    minimum_standards.require_in_force(organisation)
    measures = measures_for(plan)
    targets = targets_of(plan)
    if organisation.status == lifecycle.SIGNATORY:
        transition(
            organisation,
            "submit_plan",
            actor_for(user, organisation),
            plan_targets=targets,
            core_measure_ids=[m.id for m in measures if m.is_core],
            measure_titles={m.id: f"{m.code}: {m.title}" for m in measures},
        )
    elif organisation.status in PLAN_APPROVED_STATES:
        missing = missing_core_measures(measures, targets)
        if missing:
            raise TransitionRefused(
                "The action plan is not complete yet.", [f"{m.code}: {m.title}" for m in missing]
            )
    else:
        raise TransitionRefused(
            "You cannot submit the action plan while the organisation is "
            f"‘{lifecycle.STATE_LABELS.get(organisation.status, organisation.status)}’."
        )
    _claim(plan, PLAN_DRAFT, status=PLAN_SUBMITTED, submitted_at=utcnow())
    notices.plans.submitted(organisation, plan, user)


def decide(plan: ActionPlan, assessor: User, *, approve: bool, comment: str) -> None:
    organisation = db.session.get(Organisation, plan.organisation_id)
    actor = actor_for(assessor, organisation)
    if actor.is_member:
        # Checked here as well as in the machine: a revision decided in monitoring fires nothing.
        raise Forbidden("You cannot assess an organisation you are a member of.")
    if plan.status != PLAN_SUBMITTED:
        raise TransitionRefused(
            f"Revision {plan.revision} is not waiting for a decision: it is ‘{plan.status_label}’."
        )
    if organisation.status == lifecycle.PLAN_SUBMITTED:
        trigger = "approve_plan" if approve else "return_plan"
        transition(organisation, trigger, actor, reason=comment or None)
    elif organisation.status not in PLAN_APPROVED_STATES:
        raise TransitionRefused(
            "You cannot decide on this action plan while the organisation is "
            f"‘{lifecycle.STATE_LABELS.get(organisation.status, organisation.status)}’."
        )
    elif not approve and not comment.strip():
        raise TransitionRefused("Give a reason: it is recorded and shown to the organisation.")
    if approve:
        db.session.execute(
            update(ActionPlan)
            .where(
                signings.belongs(ActionPlan, organisation),
                ActionPlan.status == PLAN_APPROVED,
            )
            .values(status=PLAN_SUPERSEDED)
            .execution_options(synchronize_session=False)
        )
    _claim(
        plan,
        PLAN_SUBMITTED,
        status=PLAN_APPROVED if approve else PLAN_RETURNED,
        decided_at=utcnow(),
        decided_by_id=assessor.id,
        decision_comment=comment or None,
    )
    notices.plans.decided(organisation, plan, approve)
