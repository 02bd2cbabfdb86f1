"""The action plan: a target per measure, milestones, check your answers, revisions.

Only a draft revision can be changed; anything else is refused by charter.services.domain.plans
with a 409 page and nothing saved.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.plan import PLAN_APPROVED, PLAN_DRAFT, PLAN_RETURNED
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.plans import ButtonForm, MilestoneForm, TargetForm
from charter.services.domain import plans

URL = "/<slug>/action-plan"


def _latest(organisation):
    history = plans.plans_of(organisation)
    return (history[0] if history else None), history


def _draft_for(slug: str):
    """The member's organisation and its draft plan; 409 if there is no draft to change."""
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    latest, _history = _latest(organisation)
    return organisation, plans.require_draft(latest)


def _measure(plan, code: str):
    measure = plans.measure_by_code(plan, code)
    if measure is None:
        abort(404)
    return measure


@bp.get(URL)
@login_required
@verified_required
def show_plan(slug: str):
    organisation, membership = organisation_for_member(slug)
    latest, history = _latest(organisation)
    measures = plans.measures_for(latest) if latest else []
    targets = plans.targets_of(latest) if latest else []
    # Reasons from the assessor stay in view while the organisation corrects the plan.
    returned = next((p for p in history if p.status != PLAN_DRAFT), None)
    if returned is not None and returned.status != PLAN_RETURNED:
        returned = None
    return render_template(
        "organisation/plan-show.html",
        organisation=organisation,
        membership=membership,
        plan=latest,
        history=history,
        measures=measures,
        targets={t.measure_id: t for t in targets},
        missing=plans.missing_core_measures(measures, targets) if latest else [],
        milestones=plans.milestones_of(latest) if latest else [],
        returned=returned,
        can_start=membership is not None
        and organisation.status != "registered"
        and (latest is None or latest.status in (PLAN_APPROVED, PLAN_RETURNED)),
        is_draft=latest is not None and latest.status == PLAN_DRAFT,
        form=ButtonForm(),
    )


def _start_revision(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    if not ButtonForm().validate_on_submit():
        abort(400)
    plan = plans.start_revision(organisation, current_user._get_current_object())
    db.session.commit()
    flash(f"Revision {plan.revision} of your action plan is ready to edit.", "success")
    return redirect(url_for(".show_plan", slug=slug))


@bp.post(f"{URL}/start")
@login_required
@verified_required
def start_plan(slug: str):
    return _start_revision(slug)


@bp.post(f"{URL}/revise")
@login_required
@verified_required
def revise_plan(slug: str):
    """A returned or approved plan is changed through a new draft copied from it; an approved
    one stays approved until the new revision is."""
    return _start_revision(slug)


@bp.route(f"{URL}/measures/<measure_code>", methods=["GET", "POST"])
@login_required
@verified_required
def edit_plan_target(slug: str, measure_code: str):
    organisation, plan = _draft_for(slug)
    measure = _measure(plan, measure_code)
    target = plans.target_for(plan, measure)
    form = TargetForm(unit=measure.unit)
    if form.validate_on_submit():
        plans.save_target(
            plan,
            measure,
            baseline=form.baseline.amount,
            target_value=form.target_value.amount,
            target_date=form.target_date.data,
            approach=form.approach.data.strip(),
        )
        db.session.commit()
        flash(f"Target for {measure.code} saved.", "success")
        return redirect(url_for(".show_plan", slug=slug))
    if not form.is_submitted() and target is not None:
        form.baseline.data = f"{target.baseline:f}"
        form.target_value.data = f"{target.target_value:f}"
        form.target_date.data = target.target_date
        form.approach.data = target.approach
    return render_template(
        "organisation/plan-target.html",
        form=form,
        organisation=organisation,
        plan=plan,
        measure=measure,
        target=target,
        remove_form=ButtonForm(),
    )


@bp.post(f"{URL}/measures/<measure_code>/remove")
@login_required
@verified_required
def remove_plan_target(slug: str, measure_code: str):
    _organisation, plan = _draft_for(slug)
    measure = _measure(plan, measure_code)
    if not ButtonForm().validate_on_submit():
        abort(400)
    plans.remove_target(plan, measure)
    db.session.commit()
    flash(f"Target for {measure.code} removed.", "success")
    return redirect(url_for(".show_plan", slug=slug))


@bp.route(f"{URL}/milestones/add", methods=["GET", "POST"])
@login_required
@verified_required
def add_plan_milestone(slug: str):
    organisation, plan = _draft_for(slug)
    form = MilestoneForm()
    if form.validate_on_submit():
        plans.add_milestone(plan, form.title.data.strip(), form.due_date.data)
        db.session.commit()
        flash("Milestone added.", "success")
        return redirect(url_for(".show_plan", slug=slug))
    return render_template(
        "organisation/plan-milestone.html", form=form, organisation=organisation, plan=plan
    )


@bp.post(f"{URL}/milestones/<int:milestone_id>/remove")
@login_required
@verified_required
def remove_plan_milestone(slug: str, milestone_id: int):
    _organisation, plan = _draft_for(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    plans.remove_milestone(plan, milestone_id)
    db.session.commit()
    flash("Milestone removed.", "success")
    return redirect(url_for(".show_plan", slug=slug))


@bp.route(f"{URL}/check-your-answers", methods=["GET", "POST"])
@login_required
@verified_required
def check_plan(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    latest, _history = _latest(organisation)
    form = ButtonForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        if latest is None:
            plans.require_draft(latest)
        plans.submit(organisation, latest, current_user._get_current_object())
        db.session.commit()
        flash(
            f"Revision {latest.revision} of your action plan has been sent. An assessor will "
            "review it and we will email you their decision.",
            "success",
        )
        return redirect(url_for(".show_plan", slug=slug))
    plan = plans.require_draft(latest)
    measures = plans.measures_for(plan)
    targets = plans.targets_of(plan)
    return render_template(
        "organisation/plan-check.html",
        form=form,
        organisation=organisation,
        plan=plan,
        targets=targets,
        milestones=plans.milestones_of(plan),
        missing=plans.missing_core_measures(measures, targets),
    )
