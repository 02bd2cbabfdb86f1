"""An administrator's hand on the public register: the new signatories' entries awaiting a check
(published with "Publish"), and hiding an entry with a reason, or bringing it back. Each is
audited by the service (``services.domain.register_entries``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.admin import bp
from charter.admin.forms.sanctions import ConfirmForm, SanctionReasonForm
from charter.admin.views.organisations import organisation_by_slug
from charter.auth.decorators import acting_charter_id
from charter.extensions import db
from charter.services.domain import register_entries


@bp.context_processor
def _register_check_count():
    # A callable, so only the pages that show the count run the query.
    return {
        "awaiting_check_count": lambda: register_entries.awaiting_check_count(acting_charter_id())
    }


@bp.get("/register-checks")
def show_register_checks():
    return render_template(
        "admin/register-checks.html",
        organisations=register_entries.awaiting_check(acting_charter_id()),
        form=ConfirmForm(),
    )


@bp.post("/organisations/<slug>/register/publish")
def publish_register_entry(slug: str):
    organisation = organisation_by_slug(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        register_entries.publish(organisation, current_user)
    except register_entries.NotAllowed as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("admin.show_register_checks"))
    db.session.commit()
    flash(f"{organisation.name} is now on the public register.", "success")
    return redirect(url_for("admin.show_register_checks"))


@bp.route("/organisations/<slug>/register/hide", methods=["GET", "POST"])
def hide_register_entry(slug: str):
    organisation = organisation_by_slug(slug)
    form = SanctionReasonForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/register-entry-hide.html", organisation=organisation, form=form
        )
    try:
        register_entries.hide(organisation, current_user, form.reason.data)
    except register_entries.NotAllowed as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))
    db.session.commit()
    flash(
        f"{organisation.name} is hidden from the public register. Its members see why on their "
        "dashboard.",
        "success",
    )
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))


@bp.post("/organisations/<slug>/register/show")
def show_register_entry_again(slug: str):
    organisation = organisation_by_slug(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        register_entries.bring_back(organisation, current_user)
    except register_entries.NotAllowed as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))
    db.session.commit()
    flash(f"{organisation.name} is back on the public register.", "success")
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))
