"""Monitoring returns: the list of periods, one return's measures, each measure's figure and
evidence, and check your answers.

Members fill returns in; scheme staff may look. A return waiting for verification or verified
cannot change: charter.services.domain.returns refuses with a 409 page and nothing saved.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.monitoring import LINE_QUERIED, RETURN_DRAFT, RETURN_QUERIED
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.plans import ButtonForm
from charter.organisation.forms.returns import LineForm, LinkForm, UploadForm, VersionedButtonForm
from charter.services.domain import periods, returns
from charter.services.infrastructure import evidence as evidence_store

URL = "/<slug>/returns"
RETURN_URL = f"{URL}/<int:return_id>"


def _period(monitoring_return) -> periods.Period:
    return periods.Period(monitoring_return.period_start, monitoring_return.period_end)


def _return(slug: str, return_id: int, *, staff_may_view: bool = False):
    organisation, membership = organisation_for_member(slug, staff_may_view=staff_may_view)
    monitoring_return = returns.return_for(organisation, return_id)
    if monitoring_return is None:
        abort(404)
    return organisation, membership, monitoring_return


def _line(monitoring_return, measure_code: str):
    line = returns.line_for(monitoring_return, measure_code)
    if line is None:
        abort(404)
    return line


def _line_url(slug: str, return_id: int, measure_code: str) -> str:
    return url_for(".edit_return_line", slug=slug, return_id=return_id, measure_code=measure_code)


@bp.get(URL)
@login_required
@verified_required
def list_returns(slug: str):
    organisation, membership = organisation_for_member(slug)
    if returns.ensure_returns(organisation):
        db.session.commit()
    today = date.today()
    return render_template(
        "organisation/return-list.html",
        organisation=organisation,
        membership=membership,
        rows=[
            (r, _period(r), returns.is_overdue(r, today)) for r in returns.returns_of(organisation)
        ],
        can_start_retrospective=membership is not None
        and returns.can_start_retrospective(organisation),
        form=ButtonForm(),
    )


@bp.post(f"{URL}/retrospective")
@login_required
@verified_required
def start_retrospective_return(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    if not ButtonForm().validate_on_submit():
        abort(400)
    monitoring_return = returns.start_retrospective(organisation)
    db.session.commit()
    flash(
        f"Your retrospective return for {_period(monitoring_return).label} is ready to fill in.",
        "success",
    )
    return redirect(url_for(".show_return", slug=slug, return_id=monitoring_return.id), code=303)


@bp.get(RETURN_URL)
@login_required
@verified_required
def show_return(slug: str, return_id: int):
    organisation, membership, monitoring_return = _return(slug, return_id, staff_may_view=True)
    lines = returns.lines_of(monitoring_return)
    evidence = returns.evidence_for(lines)
    return render_template(
        "organisation/return-show.html",
        organisation=organisation,
        membership=membership,
        monitoring_return=monitoring_return,
        period=_period(monitoring_return),
        lines=lines,
        evidence=evidence,
        is_overdue=returns.is_overdue(monitoring_return),
        is_editable=membership is not None
        and monitoring_return.status in (RETURN_DRAFT, RETURN_QUERIED),
    )


def _line_page(organisation, monitoring_return, line, *, line_form, upload_form, link_form):
    """The measure's page; ``form`` (for the error summary) is whichever form has errors."""
    lines = [line]
    failing = next((f for f in (upload_form, link_form) if f.errors), line_form)
    return render_template(
        "organisation/return-line.html",
        form=failing,
        line_form=line_form,
        upload_form=upload_form,
        link_form=link_form,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period=_period(monitoring_return),
        line=line,
        measure=line.measure,
        target=returns.targets_for(monitoring_return).get(line.measure_id),
        evidence=returns.evidence_for(lines),
        remove_form=ButtonForm(),
    )


@bp.route(f"{RETURN_URL}/measures/<measure_code>", methods=["GET", "POST"])
@login_required
@verified_required
def edit_return_line(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.require_editable(monitoring_return, line)
    form = LineForm(
        is_percent=line.measure.unit == "percent",
        is_queried=line.review_status == LINE_QUERIED,
    )
    if form.validate_on_submit():
        returns.save_line(
            monitoring_return,
            line,
            actual_value=form.actual_value.amount,
            narrative=form.narrative.data,
            response=form.response.data or None,
        )
        db.session.commit()
        flash(f"{measure_code} saved.", "success")
        return redirect(url_for(".show_return", slug=slug, return_id=return_id))
    if not form.is_submitted():
        if line.actual_value is not None:
            form.actual_value.data = f"{line.actual_value:f}"
        form.narrative.data = line.narrative
        form.response.data = line.response
    return _line_page(
        organisation,
        monitoring_return,
        line,
        line_form=form,
        upload_form=UploadForm(formdata=None),
        link_form=LinkForm(formdata=None),
    )


@bp.post(f"{RETURN_URL}/measures/<measure_code>/evidence")
@login_required
@verified_required
def upload_return_evidence(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.touch_for_evidence(monitoring_return, line)
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        stored = evidence_store.store_evidence(
            form.file.data,
            organisation=organisation,
            line=line,
            user=current_user._get_current_object(),
        )
    except evidence_store.EvidenceRejected as rejected:
        db.session.rollback()
        form.file.errors = [rejected.message]
        return _line_page(
            organisation,
            monitoring_return,
            line,
            line_form=LineForm(formdata=None, obj=line),
            upload_form=form,
            link_form=LinkForm(formdata=None),
        )
    name, stored_name = stored.original_name, stored.stored_name
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        evidence_store.discard_unreferenced([stored_name])
        raise
    flash(f"{name} uploaded.", "success")
    return redirect(_line_url(slug, return_id, measure_code))


@bp.post(f"{RETURN_URL}/evidence/<int:evidence_id>/remove")
@login_required
@verified_required
def remove_return_evidence(slug: str, return_id: int, evidence_id: int):
    _organisation, _membership, monitoring_return = _return(slug, return_id)
    evidence = returns.evidence_file_for(monitoring_return, evidence_id)
    if evidence is None:
        abort(404)
    line = returns.line_by_id(evidence.return_line_id)
    returns.touch_for_evidence(monitoring_return, line)
    if not ButtonForm().validate_on_submit():
        abort(400)
    name, measure_code = evidence.original_name, line.measure.code
    evidence_store.delete_evidence(evidence)
    db.session.commit()
    flash(f"{name} removed.", "success")
    return redirect(_line_url(slug, return_id, measure_code))


@bp.post(f"{RETURN_URL}/measures/<measure_code>/links")
@login_required
@verified_required
def add_return_link(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.require_editable(monitoring_return, line)
    form = LinkForm()
    if not form.validate_on_submit():
        return _line_page(
            organisation,
            monitoring_return,
            line,
            line_form=LineForm(formdata=None, obj=line),
            upload_form=UploadForm(formdata=None),
            link_form=form,
        )
    returns.add_link(
        monitoring_return,
        line,
        url=form.url.data,
        description=form.description.data,
        user=current_user._get_current_object(),
    )
    db.session.commit()
    flash("Link added.", "success")
    return redirect(_line_url(slug, return_id, measure_code))


@bp.post(f"{RETURN_URL}/links/<int:link_id>/remove")
@login_required
@verified_required
def remove_return_link(slug: str, return_id: int, link_id: int):
    _organisation, _membership, monitoring_return = _return(slug, return_id)
    link = returns.evidence_link_for(monitoring_return, link_id)
    if link is None:
        abort(404)
    line = returns.line_by_id(link.return_line_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    measure_code = line.measure.code
    returns.remove_link(monitoring_return, link, line)
    db.session.commit()
    flash("Link removed.", "success")
    return redirect(_line_url(slug, return_id, measure_code))


@bp.route(f"{RETURN_URL}/check-your-answers", methods=["GET", "POST"])
@login_required
@verified_required
def check_return(slug: str, return_id: int):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    returns.require_editable(monitoring_return)
    form = VersionedButtonForm()
    if form.is_submitted():
        if not form.validate():
            abort(400)
        returns.submit_return(
            organisation,
            monitoring_return,
            current_user._get_current_object(),
            form.version.data,
        )
        db.session.commit()
        flash(
            f"Your return for {_period(monitoring_return).label} has been sent. An assessor will "
            "verify it and we will email you when they have.",
            "success",
        )
        return redirect(url_for(".list_returns", slug=slug))
    form.version.data = str(monitoring_return.version_id)
    lines = returns.lines_of(monitoring_return)
    evidence = returns.evidence_for(lines)
    return render_template(
        "organisation/return-check.html",
        form=form,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period=_period(monitoring_return),
        lines=lines,
        evidence=evidence,
        problems=returns.problems(lines, evidence),
    )
