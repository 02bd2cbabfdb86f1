"""The assessor's random audits: the list assigned to them, and one audit: ask for the source
documents behind chosen verified figures, then record the outcome. Concerns go to an
administrator, who alone may suspend or revoke."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from charter.assessor import bp
from charter.assessor.forms.audits import DocumentRequestForm, OutcomeForm
from charter.auth.decorators import acts_as, staff_required
from charter.extensions import db
from charter.models import Organisation
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.services.domain import audit_documents, audits, signings
from charter.services.domain.audits import OPEN_AUDIT_STATUSES
from workflows.lifecycle import TransitionRefused


def _audit_or_404(audit_id: int):
    audit = audits.audit_by_id(audit_id)
    if audit is None or not signings.in_acting_charter_row(audit):
        abort(404)
    if audit.assessor_id != current_user.id and not acts_as(ADMINISTRATOR):
        abort(404)
    return audit


def _page(audit, request_form=None, outcome_form=None, status=200):
    figures = audits.verified_figures(audit.organisation_id)
    request_form = request_form or DocumentRequestForm(formdata=None)
    request_form.lines.choices = [(f.line.id, f.line.id) for f in figures]
    return render_template(
        "assessor/audit-show.html",
        audit=audit,
        organisation=db.session.get(Organisation, audit.organisation_id),
        figures=figures,
        requested=set(audit.requested_line_ids or ()),
        documents=audit_documents.documents(audit),
        request_form=request_form,
        outcome_form=outcome_form or OutcomeForm(formdata=None),
        is_open=audit.status in OPEN_AUDIT_STATUSES,
        may_act=audit.assessor_id == current_user.id,
    ), status


@bp.get("/audits")
@staff_required(ASSESSOR)
def list_audits():
    return render_template("assessor/audit-list.html", rows=audits.audits_for(current_user))


@bp.get("/audits/<int:audit_id>")
def show_audit(audit_id: int):
    return _page(_audit_or_404(audit_id))


def _act(action) -> bool:
    try:
        action()
        db.session.commit()
    except (TransitionRefused, StaleDataError) as exc:
        db.session.rollback()
        flash(getattr(exc, "reason", "Someone else changed this audit meanwhile."), "error")
        return False
    return True


@bp.post("/audits/<int:audit_id>/request-documents")
@staff_required(ASSESSOR)
def request_audit_documents(audit_id: int):
    audit = _audit_or_404(audit_id)
    form = DocumentRequestForm()
    if not form.validate_on_submit():
        return _page(audit, request_form=form, status=400)
    if _act(
        lambda: audits.request_documents(
            audit, current_user, form.lines.data, form.request_text.data
        ),
    ):
        flash("The organisation has been asked for the documents.", "success")
    return redirect(url_for(".show_audit", audit_id=audit.id))


@bp.post("/audits/<int:audit_id>/outcome")
@staff_required(ASSESSOR)
def record_audit_outcome(audit_id: int):
    audit = _audit_or_404(audit_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _page(audit, outcome_form=form, status=400)
    concerns = form.outcome.data == "concerns"
    if _act(
        lambda: audits.record_outcome(
            audit, current_user, concerns=concerns, reason=form.reason.data
        ),
    ):
        flash(
            "Referred to an administrator." if concerns else "The audit confirmed the figures.",
            "success",
        )
    return redirect(url_for(".show_audit", audit_id=audit.id))
