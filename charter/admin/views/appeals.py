"""Appeals against refused applications, decided by an administrator who did not make the
refusal. Upholding one sends the application back to the assessors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.forms.appeals import AppealDecisionForm
from charter.extensions import db
from charter.models import Organisation, User
from charter.models.assessment import APPEAL_LODGED, Application
from charter.services.domain import applications


@bp.context_processor
def _appeal_count():
    # A callable, so only the pages that show the count run the query.
    return {"lodged_appeal_count": applications.lodged_appeal_count}


@bp.get("/appeals")
def list_appeals():
    return render_template("admin/appeal-list.html", rows=applications.appeals_for_review())


def _user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _review_page(appeal, form: AppealDecisionForm, status: int = 200):
    application = db.session.get(Application, appeal.application_id)
    organisation = db.session.get(Organisation, appeal.organisation_id)
    decided_by = (
        db.session.get(User, application.decided_by_id) if application.decided_by_id else None
    )
    lodged_by = db.session.get(User, appeal.lodged_by_id) if appeal.lodged_by_id else None
    appeal_decided_by = db.session.get(User, appeal.decided_by_id) if appeal.decided_by_id else None
    return (
        render_template(
            "admin/appeal-review.html",
            form=form,
            appeal=appeal,
            application=application,
            organisation=organisation,
            refusal_reason=applications.refusal_reason(application, appeal),
            decided_by=decided_by,
            lodged_by=lodged_by,
            appeal_decided_by=appeal_decided_by,
            may_decide=appeal.status == APPEAL_LODGED
            and application.decided_by_id != current_user.id,
            made_the_decision=application.decided_by_id == current_user.id,
        ),
        status,
    )


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
def review_appeal(appeal_id: int):
    appeal = applications.appeal_by_id(appeal_id)
    if appeal is None:
        abort(404)
    application = db.session.get(Application, appeal.application_id)
    form = AppealDecisionForm()
    if form.is_submitted():
        # Refused before the form is even checked: the person who refused cannot judge it.
        applications.require_may_decide(application, current_user)
    if not form.validate_on_submit():
        return _review_page(appeal, form)
    uphold = form.decision.data == "uphold"
    applications.decide_appeal(appeal, current_user, uphold=uphold, reason=form.reason.data)
    db.session.commit()
    flash(
        "Appeal upheld: the application has gone back to the assessors."
        if uphold
        else "Appeal dismissed: the organisation has been told why.",
        "success",
    )
    return redirect(url_for(".list_appeals"), code=303)
