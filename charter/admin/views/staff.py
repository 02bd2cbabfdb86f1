"""Staff of the acting charter: its assessors and administrators, appointing and removing them.

A charter's administrators manage its staff, including other administrators; the rules (no one
both, at least one administrator left) are the domain's (charter.services.domain.staff). The
charter is ``acting_charter()``: the default one until URLs name it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.forms.staff import AppointStaffForm, RemoveStaffForm
from charter.auth.decorators import acting_charter
from charter.extensions import db
from charter.models import User
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.refusals_on_forms import shown_on
from charter.services.domain import staff

WORDS = {
    ASSESSOR: {
        "a": "an assessor",
        "noun": "assessor",
        "can": "They will be able to review action plans and monitoring evidence and decide on "
        "Charter Mark applications.",
    },
    ADMINISTRATOR: {
        "a": "an administrator",
        "noun": "administrator",
        "can": "They will be able to manage this charter's organisations, staff and settings, "
        "other administrators included. They will not assess organisations.",
    },
}


@bp.get("/assessors")
def list_assessors():
    charter = acting_charter()
    return render_template(
        "admin/assessors.html",
        charter=charter,
        assessors=staff.people_with(ASSESSOR, charter),
        administrators=staff.people_with(ADMINISTRATOR, charter),
        remove_form=RemoveStaffForm(),
    )


@bp.route("/assessors/appoint", methods=["GET", "POST"])
def appoint_assessor():
    return _appoint(ASSESSOR, url_for("admin.appoint_assessor"))


@bp.route("/administrators/appoint", methods=["GET", "POST"])
def appoint_administrator():
    return _appoint(ADMINISTRATOR, url_for("admin.appoint_administrator"))


@bp.post("/assessors/<int:user_id>/revoke")
def revoke_assessor(user_id: int):
    return _remove(user_id, ASSESSOR)


@bp.post("/administrators/<int:user_id>/remove")
def remove_administrator(user_id: int):
    return _remove(user_id, ADMINISTRATOR)


def _appoint(role: str, appoint_url: str):
    charter = acting_charter()
    form = AppointStaffForm()
    page = {"form": form, "charter": charter, "role": role, "words": WORDS[role]}
    page["appoint_url"] = appoint_url
    if not form.validate_on_submit():
        return render_template("admin/appoint-staff.html", **page)
    with shown_on(form, "email") as refused:
        candidate = staff.candidate(form.email.data, role, charter)
    if refused:
        return render_template("admin/appoint-staff.html", **page)
    if form.confirmed.data != "yes":
        organisations = staff.organisations_of(candidate)
        return render_template(
            "admin/confirm-staff.html", candidate=candidate, organisations=organisations, **page
        )
    user = staff.appoint(candidate.email, role, charter, appointed_by=current_user)
    db.session.commit()
    flash(
        f"{user.full_name} is now {WORDS[role]['a']}. We have emailed them to let them know.",
        "success",
    )
    return redirect(url_for("admin.list_assessors"))


def _remove(user_id: int, role: str):
    user = db.get_or_404(User, user_id)
    if not RemoveStaffForm().validate_on_submit():
        abort(400)
    try:
        staff.remove(user, role, acting_charter(), removed_by=current_user)
    except staff.StaffChangeRefused as exc:
        flash(str(exc))
        return redirect(url_for("admin.list_assessors"))
    db.session.commit()
    flash(f"{user.full_name} is no longer {WORDS[role]['a']}.", "success")
    return redirect(url_for("admin.list_assessors"))
