"""People who write in: an administrator finds their account, prepares a copy of their
information, or closes the account on their request, with the reason kept on the account."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.forms.people import CloseAccountRequestForm, FindPersonForm, PrepareCopyForm
from charter.auth.views.data_exports import download_url
from charter.extensions import db
from charter.models import User
from charter.models.privacy import EXPORT_READY
from charter.services.domain import account_closing, accounts, data_exports, personal_data, staff

NO_ACCOUNT = "No account has this email address"


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/people")
def find_person():
    form = FindPersonForm(request.args)
    if "email" in request.args and form.validate():
        user = accounts.user_by_email(form.email.data)
        if user is not None:
            return redirect(url_for(".show_person", user_id=user.id))
        form.email.errors.append(NO_ACCOUNT)
    if "email" not in request.args:
        form = FindPersonForm(formdata=None)
    return render_template("admin/people-find.html", form=form)


@bp.get("/people/<int:user_id>")
def show_person(user_id: int):
    person = _person(user_id)
    closed_by = db.session.get(User, person.closed_by_id) if person.closed_by_id else None
    return render_template(
        "admin/person-show.html",
        person=person,
        person_is_staff=staff.is_staff_anywhere(person),
        closed_by=closed_by,
        memberships=personal_data.memberships_of(person),
        exports=data_exports.exports_requested_by(current_user, person),
        download_url=download_url,
        copy_form=PrepareCopyForm(),
        refusal=account_closing.refusal(person, by=current_user),
        own_request_reason=account_closing.REASON_OWN_REQUEST,
    )


@bp.post("/people/<int:user_id>/copy")
def prepare_copy(user_id: int):
    person = _person(user_id)
    if PrepareCopyForm().validate_on_submit():
        export = data_exports.request_export(person, current_user)
        db.session.commit()
        if export.status == EXPORT_READY:
            flash("The copy is ready to download. Send it to the person securely.", "success")
        else:
            flash(
                "We are preparing the copy and will email you a link when it is ready.", "success"
            )
    return redirect(url_for(".show_person", user_id=person.id))


@bp.route("/people/<int:user_id>/close", methods=["GET", "POST"])
def close_person_account(user_id: int):
    person = _person(user_id)
    refusal = account_closing.refusal(person, by=current_user)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for(".show_person", user_id=person.id))
    form = CloseAccountRequestForm()
    if form.validate_on_submit():
        account_closing.close_account(person, reason=form.reason.data, by=current_user)
        db.session.commit()
        flash("The account is closed", "success")
        return redirect(url_for(".show_person", user_id=person.id))
    return render_template(
        "admin/person-close.html",
        form=form,
        person=person,
        memberships=personal_data.memberships_of(person),
    )
