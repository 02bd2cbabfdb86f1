"""Action plans waiting for a decision: reviewing one, deciding on it.

Administrators may look; only assessors decide."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.assessor import bp
from charter.assessor.forms.plans import APPROVE, DecisionForm
from charter.auth.decorators import acts_as, staff_required
from charter.extensions import db
from charter.models import Organisation
from charter.models.plan import PLAN_SUBMITTED
from charter.models.staff import ASSESSOR
from charter.services.domain import plans, signings
from charter.services.domain.lifecycle import is_member


def _plan_or_404(plan_id: int):
    plan = plans.plan_by_id(plan_id)
    if plan is None or not signings.in_acting_charter_row(plan):
        abort(404)
    return plan, db.session.get(Organisation, plan.organisation_id)


@bp.get("/plans/<int:plan_id>")
def review_plan(plan_id: int):
    plan, organisation = _plan_or_404(plan_id)
    return _review_page(plan, organisation, DecisionForm())


def _review_page(plan, organisation, form, status: int = 200):
    conflict = is_member(current_user, organisation)
    return (
        render_template(
            "assessor/review-plan.html",
            form=form,
            plan=plan,
            organisation=organisation,
            targets=plans.targets_of(plan),
            milestones=plans.milestones_of(plan),
            revisions=[p for p in plans.plans_of(organisation) if p.id != plan.id],
            is_conflicted=conflict,
            may_decide=acts_as(ASSESSOR) and not conflict and plan.status == PLAN_SUBMITTED,
        ),
        status,
    )


@bp.post("/plans/<int:plan_id>/decision")
@staff_required(ASSESSOR)
def decide_plan(plan_id: int):
    plan, organisation = _plan_or_404(plan_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _review_page(plan, organisation, form)
    approve = form.decision.data == APPROVE
    plans.decide(
        plan, current_user._get_current_object(), approve=approve, comment=form.comment.data
    )
    db.session.commit()
    flash(
        f"You {'approved' if approve else 'returned'} revision {plan.revision} of the action plan "
        f"for {organisation.name}. We have emailed its members.",
        "success",
    )
    return redirect(url_for(".list_work"))
