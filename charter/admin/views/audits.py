"""Administrators' audit pages: the year's draw (the service's: its published seed, the method
to check it, the eligible and drawn certificates, all public), the acting charter's audits, and
the decision on referred concerns."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from charter.admin import bp
from charter.admin.forms.audits import ReferralDecisionForm
from charter.extensions import db
from charter.models import Organisation
from charter.models.duties import AUDIT_REFERRED, AUDIT_STATUSES
from charter.services.domain import audits, signings
from charter.services.domain.schemes import current_scheme
from workflows.lifecycle import TransitionRefused


@bp.app_template_global("audit_counts")
def audit_counts() -> list[tuple[str, int]]:
    counts = audits.counts_by_status()
    return [(label, counts.get(status, 0)) for status, label in AUDIT_STATUSES.items()]


@bp.get("/audits")
def list_audits():
    scheme = current_scheme()
    return render_template(
        "admin/audit-list.html",
        draws=audits.recent_draws(),
        this_year=audits.draw_for(date.today().year),
        share=scheme.audit_share_percent if scheme else None,
        rows=audits.all_audits(),
        notice_days=audits.NOTICE_DAYS,
    )


@bp.route("/audits/<int:audit_id>/decision", methods=["GET", "POST"])
def decide_audit(audit_id: int):
    audit = audits.audit_by_id(audit_id)
    if audit is None or not signings.in_acting_charter_row(audit):
        abort(404)  # another charter's audit is not found
    organisation = db.session.get(Organisation, audit.organisation_id)
    form = ReferralDecisionForm()
    if audit.status == AUDIT_REFERRED and form.validate_on_submit():
        try:
            audits.decide_referral(audit, current_user, form.action.data, form.reason.data)
            db.session.commit()
        except (TransitionRefused, StaleDataError) as exc:
            db.session.rollback()
            flash(getattr(exc, "reason", "Someone else decided this audit meanwhile."), "error")
            return redirect(url_for(".decide_audit", audit_id=audit_id))
        flash(f"Decision recorded for {organisation.name}.", "success")
        return redirect(url_for(".list_audits"))
    return render_template(
        "admin/audit-decision.html", audit=audit, organisation=organisation, form=form
    )
