"""Assessors' work: action plans waiting for a decision, reviewing one, deciding on it.

Administrators may look; only assessors decide.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from charter import query_strings
from charter.assessor import bp
from charter.assessor.forms import APPROVE, DecisionForm
from charter.auth.decorators import staff_required, verified_required
from charter.extensions import db
from charter.models import Organisation
from charter.models.plan import PLAN_SUBMITTED
from charter.services.domain import assessment, plans, return_review
from charter.services.domain.lifecycle import is_member
from charter.services.read_models import waiting_plans


def _page_number() -> int:
    return query_strings.page_number(request.args)


def _pagination(page: waiting_plans.WaitingPage, search: str, district: str) -> dict | None:
    """Parameters for the GOV.UK pagination component, keeping the filters in each link."""
    if page.pages <= 1:
        return None

    def link(number: int) -> str:
        return url_for(".list_work", q=search or None, district=district or None, page=number)

    params: dict = {
        "items": [
            {"number": n, "href": link(n), "current": n == page.page}
            for n in range(1, page.pages + 1)
        ]
    }
    if page.page > 1:
        params["previous"] = {"href": link(page.page - 1)}
    if page.page < page.pages:
        params["next"] = {"href": link(page.page + 1)}
    return params


@bp.get("/")
@login_required
@verified_required
@staff_required("assessor", "admin")
def list_work():
    search = request.args.get("q", "").strip()[:200]
    district = request.args.get("district", "").strip()[:100]
    try:
        page_number = _page_number()
    except query_strings.BadQuery as error:
        return query_strings.bad_query_response(error)
    page = waiting_plans.waiting_plans(search, district, page_number)
    return render_template(
        "assessor/list-work.html",
        page=page,
        returns_waiting=return_review.waiting_returns(search, district),
        applications_waiting=assessment.waiting_applications(search, district),
        search=search,
        district=district,
        districts=sorted(
            set(waiting_plans.districts_waiting())
            | set(return_review.districts_waiting())
            | set(assessment.districts_waiting())
        ),
        pagination=_pagination(page, search, district),
    )


def _plan_or_404(plan_id: int):
    plan = plans.plan_by_id(plan_id)
    if plan is None:
        abort(404)
    return plan, db.session.get(Organisation, plan.organisation_id)


@bp.get("/plans/<int:plan_id>")
@login_required
@verified_required
@staff_required("assessor", "admin")
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
            may_decide=current_user.is_assessor and not conflict and plan.status == PLAN_SUBMITTED,
        ),
        status,
    )


@bp.post("/plans/<int:plan_id>/decision")
@login_required
@verified_required
@staff_required("assessor")
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


from charter.assessor import applications, returns  # noqa: E402,F401
