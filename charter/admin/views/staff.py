"""Staff: the assessors and administrators, appointing an assessor and removing one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from charter.admin import bp
from charter.admin.forms.staff import AppointAssessorForm, RevokeAssessorForm
from charter.extensions import db
from charter.models import User
from charter.models.user import ROLE_ADMIN, ROLE_ASSESSOR
from charter.refusals_on_forms import shown_on
from charter.services.domain import staff


@bp.get("/assessors")
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
def appoint_assessor():
    form = AppointAssessorForm()
    if not form.validate_on_submit():
        return render_template("admin/appoint-assessor.html", form=form)
    with shown_on(form, "email") as refused:
        candidate = staff.assessor_candidate(form.email.data)
    if refused:
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
