"""The sanctions on an organisation: suspend it, lift the suspension, revoke its mark."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.forms.sanctions import LiftSuspensionForm, SanctionReasonForm
from charter.admin.views.organisations import mark_context, organisation_by_slug
from charter.extensions import db
from charter.services.domain import marks


@bp.route("/organisations/<slug>/suspend", methods=["GET", "POST"])
def suspend_organisation(slug: str):
    organisation = organisation_by_slug(slug)
    form = SanctionReasonForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/organisation-suspend.html",
            organisation=organisation,
            form=form,
            **mark_context(organisation),
        )
    marks.suspend(organisation, current_user, form.reason.data)
    db.session.commit()
    flash(f"{organisation.name} is suspended. We have emailed its members.", "success")
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))


@bp.post("/organisations/<slug>/lift-suspension")
def lift_suspension(slug: str):
    organisation = organisation_by_slug(slug)
    if not LiftSuspensionForm().validate_on_submit():
        abort(400)
    marks.lift_suspension(organisation, current_user)
    db.session.commit()
    flash(
        f"The suspension of {organisation.name} is lifted. We have emailed its members.", "success"
    )
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))


@bp.route("/organisations/<slug>/revoke-mark", methods=["GET", "POST"])
def revoke_mark(slug: str):
    organisation = organisation_by_slug(slug)
    context = mark_context(organisation)
    if not context["can_revoke"]:
        # The same refusal page as the lifecycle's, so the admin sees why.
        marks.revoke_refused(organisation)
    form = SanctionReasonForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/organisation-revoke.html", organisation=organisation, form=form, **context
        )
    mark = marks.revoke(organisation, current_user, form.reason.data)
    db.session.commit()
    flash(
        f"Charter Mark {mark.certificate_number} of {organisation.name} is revoked. "
        "We have emailed its members.",
        "success",
    )
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))
