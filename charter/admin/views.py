"""Scheme administration: the dashboard, assessors and the list of organisations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from charter import query_strings
from charter.admin import bp
from charter.admin.forms import AppointAssessorForm, OrganisationFilterForm, RevokeAssessorForm
from charter.auth.decorators import staff_required
from charter.extensions import db
from charter.models import Measure, Organisation, Principle, User
from charter.models.user import ROLE_ADMIN, ROLE_ASSESSOR, SERVICE_ROLES
from charter.services.domain import staff
from charter.services.domain.schemes import current_scheme
from workflows.lifecycle import STATE_LABELS, STATES

ORGANISATIONS_PER_PAGE = 25
ROLE_LABELS = {"member": "Organisation members", "assessor": "Assessors", "admin": "Administrators"}


@bp.get("/")
@login_required
@staff_required("admin")
def show_dashboard():
    by_state = dict(
        db.session.execute(
            select(Organisation.status, func.count()).group_by(Organisation.status)
        ).all()
    )
    by_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    scheme = current_scheme()
    scheme_counts = None
    if scheme is not None:
        scheme_counts = {
            "principles": db.session.scalar(
                select(func.count()).select_from(Principle).where(Principle.scheme_id == scheme.id)
            ),
            "core": db.session.scalar(
                select(func.count())
                .select_from(Measure)
                .where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            ),
            "measures": db.session.scalar(
                select(func.count()).select_from(Measure).where(Measure.scheme_id == scheme.id)
            ),
        }
    return render_template(
        "admin/dashboard.html",
        state_counts=[(state, STATE_LABELS[state], by_state.get(state, 0)) for state in STATES],
        organisation_total=sum(by_state.values()),
        role_counts=[(ROLE_LABELS[role], by_role.get(role, 0)) for role in SERVICE_ROLES],
        scheme=scheme,
        scheme_counts=scheme_counts,
    )


@bp.get("/assessors")
@login_required
@staff_required("admin")
def list_assessors():
    people = db.session.scalars(
        select(User)
        .where(User.role.in_((ROLE_ASSESSOR, ROLE_ADMIN)))
        .order_by(User.role.desc(), User.full_name, User.id)
    ).all()
    return render_template(
        "admin/assessors.html",
        assessors=[u for u in people if u.role == ROLE_ASSESSOR],
        administrators=[u for u in people if u.role == ROLE_ADMIN],
        revoke_form=RevokeAssessorForm(),
    )


@bp.route("/assessors/appoint", methods=["GET", "POST"])
@login_required
@staff_required("admin")
def appoint_assessor():
    form = AppointAssessorForm()
    if not form.validate_on_submit():
        return render_template("admin/appoint-assessor.html", form=form)
    try:
        candidate = staff.assessor_candidate(form.email.data)
    except staff.StaffChangeRefused as exc:
        form.email.errors.append(str(exc))
        return render_template("admin/appoint-assessor.html", form=form)
    if form.confirmed.data != "yes":
        return render_template(
            "admin/confirm-assessor.html",
            form=form,
            candidate=candidate,
            organisations=staff.organisations_of(candidate),
        )
    user = staff.appoint_assessor(candidate.email, appointed_by=current_user)
    db.session.commit()
    flash(f"{user.full_name} is now an assessor. We have emailed them to let them know.", "success")
    return redirect(url_for("admin.list_assessors"))


@bp.post("/assessors/<int:user_id>/revoke")
@login_required
@staff_required("admin")
def revoke_assessor(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RevokeAssessorForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        staff.revoke_assessor(user)
    except staff.StaffChangeRefused as exc:
        flash(str(exc))
        return redirect(url_for("admin.list_assessors"))
    db.session.commit()
    flash(f"{user.full_name} is no longer an assessor.", "success")
    return redirect(url_for("admin.list_assessors"))


UNKNOWN_STATUS_MESSAGE = "Select a status from the list"


@bp.get("/organisations")
@login_required
@staff_required("admin")
def show_organisations():
    filter_form = OrganisationFilterForm(request.args)
    try:
        page_number = query_strings.page_number(request.args)
    except query_strings.BadQuery as error:
        return query_strings.bad_query_response(error)
    status = request.args.get("status") or None
    if status is not None and status not in STATE_LABELS:
        # Shown in the error summary; the list below is every organisation.
        filter_form.status.errors = [UNKNOWN_STATUS_MESSAGE]
        status = None
    query = select(Organisation).order_by(Organisation.name, Organisation.id)
    if status:
        query = query.where(Organisation.status == status)
    page = db.paginate(
        query,
        page=page_number,
        per_page=ORGANISATIONS_PER_PAGE,
        max_per_page=ORGANISATIONS_PER_PAGE,
    )
    refused = bool(filter_form.status.errors)
    return render_template(
        "admin/organisations.html",
        filter_form=filter_form,
        form=filter_form if refused else None,
        status=status,
        page=page,
        pagination=_pagination_params(page, status),
    ), (400 if refused else 200)


def _pagination_params(page, status: str | None) -> dict | None:
    """Parameters for the GOV.UK pagination component, keeping the status filter."""
    if page.pages <= 1:
        return None

    def href(number: int) -> str:
        return url_for("admin.show_organisations", status=status, page=number)

    items = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": href(number), "current": number == page.page}
        for number in page.iter_pages(left_edge=1, left_current=1, right_current=2, right_edge=1)
    ]
    params = {"items": items}
    if page.has_prev:
        params["previous"] = {"href": href(page.prev_num)}
    if page.has_next:
        params["next"] = {"href": href(page.next_num)}
    return params


from charter.admin import (  # noqa: E402,F401
    actions,
    appeals,
    audits,
    commissioners,
    contract_managers,
    emails,
    flagged_figures,
    impact,
    proxies,
    register_entries,
    reviews,
)
