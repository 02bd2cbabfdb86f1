"""A random audit, as the organisation sees it: what the assessor asked for, uploading the
source documents one at a time, removing one uploaded by mistake, and sending them.

Members may act; scheme staff may look (the assessor reads the documents on the audit's own
page). Nothing is kept from a refused upload (see evidence.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.audits import AuditDocumentForm
from charter.organisation.forms.plans import ButtonForm
from charter.services.domain import audit_documents
from charter.services.infrastructure import evidence as evidence_store
from workflows.lifecycle import TransitionRefused

AUDIT_URL = "/<slug>/audits/<int:audit_id>"


def _audit(slug: str, audit_id: int, *, acting: bool):
    organisation, membership = organisation_for_member(slug, staff_may_view=not acting)
    audit = audit_documents.audit_of(organisation, audit_id)
    if audit is None:
        abort(404)
    return organisation, audit, membership


def _page(organisation, audit, membership, form=None, status=200):
    figures = audit_documents.requested_figures(audit)
    form = form or AuditDocumentForm(formdata=None)
    form.set_figures(figures)
    documents = audit_documents.documents(audit)
    return render_template(
        "organisation/audit-show.html",
        organisation=organisation,
        audit=audit,
        figures=figures,
        documents=documents,
        unsent={d.id for d in documents if audit_documents.is_unsent(audit, d)},
        figure_by_line={f.line.id: f for f in figures},
        form=form,
        accepts_documents=audit_documents.accepts_documents(audit),
        is_member=membership is not None,
        remove_form=ButtonForm(formdata=None),
    ), status


def _back(slug: str, audit_id: int):
    return redirect(url_for("organisation.show_audit", slug=slug, audit_id=audit_id))


@bp.get(AUDIT_URL)
@login_required
@verified_required
def show_audit(slug: str, audit_id: int):
    organisation, audit, membership = _audit(slug, audit_id, acting=False)
    return _page(organisation, audit, membership)


@bp.post(f"{AUDIT_URL}/documents")
@login_required
@verified_required
def upload_audit_document(slug: str, audit_id: int):
    organisation, audit, membership = _audit(slug, audit_id, acting=True)
    form = AuditDocumentForm()
    form.set_figures(audit_documents.requested_figures(audit))
    if not form.validate_on_submit():
        if not form.figure.errors:
            abort(400)  # a missing CSRF token
        return _page(organisation, audit, membership, form, status=400)
    try:
        stored = audit_documents.add_document(
            audit,
            organisation,
            int(form.figure.data),
            form.file.data,
            current_user._get_current_object(),
        )
    except evidence_store.EvidenceRejected as rejected:
        db.session.rollback()
        form.file.errors = [rejected.message]
        return _page(organisation, audit, membership, form, status=400)
    except TransitionRefused as refused:
        db.session.rollback()
        flash(refused.reason, "error")
        return _back(slug, audit_id)
    name = evidence_store.commit_stored(stored)
    flash(f"{name} uploaded. Send the documents to the assessor when they are all here.", "success")
    return _back(slug, audit_id)


@bp.post(f"{AUDIT_URL}/documents/<int:evidence_id>/remove")
@login_required
@verified_required
def remove_audit_document(slug: str, audit_id: int, evidence_id: int):
    _organisation, audit, _membership = _audit(slug, audit_id, acting=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        removed = audit_documents.remove_document(audit, evidence_id)
    except TransitionRefused as refused:
        db.session.rollback()
        flash(refused.reason, "error")
        return _back(slug, audit_id)
    if removed is None:
        abort(404)
    name = removed.original_name
    db.session.commit()
    flash(f"{name} removed.", "success")
    return _back(slug, audit_id)


@bp.post(f"{AUDIT_URL}/send-documents")
@login_required
@verified_required
def send_audit_documents(slug: str, audit_id: int):
    organisation, audit, _membership = _audit(slug, audit_id, acting=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        audit_documents.send_documents(audit, organisation, current_user._get_current_object())
        db.session.commit()
    except (TransitionRefused, StaleDataError) as exc:
        db.session.rollback()
        flash(getattr(exc, "reason", "Someone changed this audit meanwhile: try again."), "error")
        return _back(slug, audit_id)
    flash("Documents sent. The assessor has been told and will record the outcome.", "success")
    return _back(slug, audit_id)
