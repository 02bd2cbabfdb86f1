"""An administrator's view of one organisation, and the sanctions: suspend, lift, revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from charter.admin import bp
from charter.admin.forms import ConfirmForm, LiftSuspensionForm, SanctionReasonForm
from charter.auth.decorators import staff_required
from charter.extensions import db
from charter.models import Organisation
from charter.services.domain import audits, marks, register_entries
from charter.services.domain.lifecycle import history
from charter.services.read_models.contract_monitoring import events_of as monitoring_events_of
from workflows import lifecycle

# Revoking needs a mark the organisation holds now.
REVOCABLE_STATES = (lifecycle.ACCREDITED, lifecycle.RENEWAL_DUE, lifecycle.MARK_SUSPENDED)


def organisation_by_slug(slug: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        abort(404)
    return organisation


def _mark_context(organisation: Organisation) -> dict:
    mark = marks.current_mark(organisation)
    standing = marks.standing(mark, organisation_status=organisation.status) if mark else None
    return {
        "mark": mark,
        "standing_label": marks.STANDING_LABELS[standing] if standing else None,
        "standing_tag_class": marks.STANDING_TAG_CLASSES[standing] if standing else None,
        # A mark suspended by the system for a missed duty may still be revoked.
        "can_revoke": mark is not None
        and (mark.status == "valid" or organisation.status == lifecycle.MARK_SUSPENDED)
        and organisation.status in REVOCABLE_STATES,
    }


@bp.get("/organisations/<slug>")
@login_required
@staff_required("admin")
def show_organisation_admin(slug: str):
    organisation = organisation_by_slug(slug)
    return render_template(
        "admin/organisation-show.html",
        organisation=organisation,
        can_suspend=organisation.status in lifecycle.SUSPENDABLE,
        is_suspended=organisation.status == lifecycle.SUSPENDED,
        lift_form=LiftSuspensionForm(),
        confirm_form=ConfirmForm(),
        on_register=register_entries.is_on_register(organisation),
        events=history(organisation),
        audit_history=audits.audits_of(organisation),
        monitoring_events=monitoring_events_of(organisation),
        **_mark_context(organisation),
    )


@bp.route("/organisations/<slug>/suspend", methods=["GET", "POST"])
@login_required
@staff_required("admin")
def suspend_organisation(slug: str):
    organisation = organisation_by_slug(slug)
    form = SanctionReasonForm()
    if not form.validate_on_submit():
        return render_template(
            "admin/organisation-suspend.html",
            organisation=organisation,
            form=form,
            **_mark_context(organisation),
        )
    marks.suspend(organisation, current_user, form.reason.data)
    db.session.commit()
    flash(f"{organisation.name} is suspended. We have emailed its members.", "success")
    return redirect(url_for("admin.show_organisation_admin", slug=organisation.slug))


@bp.post("/organisations/<slug>/lift-suspension")
@login_required
@staff_required("admin")
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
@login_required
@staff_required("admin")
def revoke_mark(slug: str):
    organisation = organisation_by_slug(slug)
    context = _mark_context(organisation)
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
