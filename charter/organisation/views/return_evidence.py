"""Evidence on a monitoring return: uploading and removing files, adding and removing links.
For a per-contract measure a file or link may back one contract's figure (or the figure not
on a listed contract) rather than the measure as a whole."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.forms.plans import ButtonForm
from charter.organisation.forms.returns import LinkForm, UploadForm, set_figure_choices
from charter.organisation.views.returns import (
    RETURN_URL,
    _line,
    _line_page,
    _line_url,
    _return,
    blank_line_form,
)
from charter.services.domain import returns
from charter.services.infrastructure import evidence as evidence_store


def _refused_page(organisation, monitoring_return, measure_code, form):
    """Nothing is kept: roll back, then show the measure's page with ``form`` (an upload or a
    link form) and its errors, the other form blank."""
    db.session.rollback()
    line = _line(monitoring_return, measure_code)
    is_upload = isinstance(form, UploadForm)
    return _line_page(
        organisation,
        monitoring_return,
        line,
        line_form=blank_line_form(monitoring_return, line),
        upload_form=form if is_upload else UploadForm(formdata=None),
        link_form=LinkForm(formdata=None) if is_upload else form,
    )


def _line_to_remove_from(found):
    """The line a file or link of this return (``found``) hangs from: 404 when there is no such
    file or link on the return, 400 when the form's CSRF token is missing."""
    if found is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return returns.line_by_id(found.return_line_id)


def _saved(message: str, slug: str, return_id: int, measure_code: str):
    db.session.commit()
    flash(message, "success")
    return redirect(_line_url(slug, return_id, measure_code))


def _figure(monitoring_return, line, form):
    """The figure the evidence backs (None: the measure as a whole), after checking the choice
    is one of the line's rows."""
    rows = returns.figure_rows(monitoring_return, line) if line.measure.is_per_contract else []
    set_figure_choices(form, rows)
    if not form.validate_on_submit():
        return False, None
    if not form.figure.data:
        return True, None
    return True, returns.figure_for(line, form.figure.data)


@bp.post(f"{RETURN_URL}/measures/<measure_code>/evidence")
@login_required
@verified_required
def upload_return_evidence(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.touch_for_evidence(monitoring_return, line)
    form = UploadForm()
    valid, figure = _figure(monitoring_return, line, form)
    if not valid:
        if not form.figure.errors:
            abort(400)  # a missing CSRF token
        return _refused_page(organisation, monitoring_return, measure_code, form)
    try:
        stored = evidence_store.store_evidence(
            form.file.data,
            organisation=organisation,
            line=line,
            user=current_user._get_current_object(),
            figure=figure,
        )
    except evidence_store.EvidenceRejected as rejected:
        form.file.errors = [rejected.message]
        return _refused_page(organisation, monitoring_return, measure_code, form)
    name = evidence_store.commit_stored(stored)
    flash(f"{name} uploaded.", "success")
    return redirect(_line_url(slug, return_id, measure_code))


@bp.post(f"{RETURN_URL}/evidence/<int:evidence_id>/remove")
@login_required
@verified_required
def remove_return_evidence(slug: str, return_id: int, evidence_id: int):
    _organisation, _membership, monitoring_return = _return(slug, return_id)
    evidence = returns.evidence_file_for(monitoring_return, evidence_id)
    line = _line_to_remove_from(evidence)
    returns.touch_for_evidence(monitoring_return, line)
    name = evidence.original_name
    evidence_store.delete_evidence(evidence)
    return _saved(f"{name} removed.", slug, return_id, line.measure.code)


@bp.post(f"{RETURN_URL}/measures/<measure_code>/links")
@login_required
@verified_required
def add_return_link(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.require_editable(monitoring_return, line)
    form = LinkForm()
    valid, figure = _figure(monitoring_return, line, form)
    if not valid:
        return _refused_page(organisation, monitoring_return, measure_code, form)
    returns.add_link(
        monitoring_return,
        line,
        url=form.url.data,
        description=form.description.data,
        user=current_user._get_current_object(),
        figure=figure,
    )
    return _saved("Link added.", slug, return_id, measure_code)


@bp.post(f"{RETURN_URL}/links/<int:link_id>/remove")
@login_required
@verified_required
def remove_return_link(slug: str, return_id: int, link_id: int):
    _organisation, _membership, monitoring_return = _return(slug, return_id)
    link = returns.evidence_link_for(monitoring_return, link_id)
    line = _line_to_remove_from(link)
    returns.remove_link(monitoring_return, link, line)
    return _saved("Link removed.", slug, return_id, line.measure.code)
