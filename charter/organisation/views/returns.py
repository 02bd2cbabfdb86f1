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
from charter.models.scheme import ACHIEVEMENT, PAIR
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.plans import ButtonForm
from charter.organisation.forms.returns import (
    AchievementForm,
    ContractFiguresForm,
    LineForm,
    LinkForm,
    PairLineForm,
    UploadForm,
    VersionedButtonForm,
    set_figure_choices,
)
from charter.refusals_on_forms import shown_on
from charter.services.domain import periods, plausibility, pledge_periods, returns

URL = "/<slug>/returns"
_UNSET = object()
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
        figures=returns.figures_by_line(lines),
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
    """The measure's page; ``form`` (for the error summary) is whichever form has errors. For a
    per-contract measure, the evidence forms ask which contract's figure a file or link backs."""
    lines = [line]
    rows = returns.figure_rows(monitoring_return, line) if line.measure.is_per_contract else []
    for form in (upload_form, link_form):
        set_figure_choices(form, rows)
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
        covers=pledge_periods.covers_of(line, monitoring_return),
        line=line,
        measure=line.measure,
        rows=rows,
        figure_labels={row.figure.id: row.label for row in rows if row.figure is not None},
        target=returns.targets_for(monitoring_return).get(line.measure_id),
        evidence=returns.evidence_for(lines),
        remove_form=ButtonForm(),
    )


def line_form_for(monitoring_return, line, formdata=_UNSET):
    """The figure form for the line: per contract, or for the organisation; a pair's two
    figures, or an achievement's yes or no and date."""
    measure = line.measure
    kwargs = {
        "unit": measure.unit,
        "is_queried": line.review_status == LINE_QUERIED,
    }
    if formdata is not _UNSET:
        kwargs["formdata"] = formdata
    parts = measure.parts if measure.unit == PAIR else None
    if measure.is_per_contract:
        rows = returns.figure_rows(monitoring_return, line)
        return ContractFiguresForm.for_rows(rows, parts, **kwargs)
    if measure.unit == ACHIEVEMENT:
        return AchievementForm(**kwargs)
    if parts:
        return PairLineForm(parts=parts, **kwargs)
    return LineForm(**kwargs)


def blank_line_form(monitoring_return, line):
    """The line's form as saved, for a page showing an evidence form's errors."""
    form = line_form_for(monitoring_return, line, formdata=None)
    _prefill(form, line)
    return form


def _as_typed(value) -> str:
    """A saved figure as a person would type it: 1200 or 1200.5, not 1200.00."""
    return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"


def _prefill(form, line) -> None:
    if isinstance(form, ContractFiguresForm):
        for row, field in form.figure_fields():
            if row.value is not None:
                field.data = _as_typed(row.value)
        for row, field in form.second_fields():
            if row.figure is not None and row.figure.second_value is not None:
                field.data = _as_typed(row.figure.second_value)
    elif isinstance(form, AchievementForm):
        if line.achieved is not None:
            form.achieved.data = "yes" if line.achieved else "no"
        form.achieved_on.data = line.achieved_on
    elif line.actual_value is not None:
        form.actual_value.data = _as_typed(line.actual_value)
    if isinstance(form, PairLineForm) and line.second_value is not None:
        form.second_value.data = _as_typed(line.second_value)
    form.narrative.data = line.narrative
    form.response.data = line.response
    form.flag_explanation.data = line.flag_explanation


@bp.route(f"{RETURN_URL}/measures/<measure_code>", methods=["GET", "POST"])
@login_required
@verified_required
def edit_return_line(slug: str, return_id: int, measure_code: str):
    organisation, _membership, monitoring_return = _return(slug, return_id)
    line = _line(monitoring_return, measure_code)
    returns.require_editable(monitoring_return, line)
    form = line_form_for(monitoring_return, line)
    if form.validate_on_submit():
        fields = {
            "narrative": form.narrative.data,
            "response": form.response.data or None,
            "explanation": (form.flag_explanation.data or "").strip() or None,
        }
        per_contract = isinstance(form, ContractFiguresForm)
        achievement = isinstance(form, AchievementForm)
        # A total too large for its column, the figures each in range: said on the first figure.
        if per_contract:
            first = form.figure_fields()[0][1]
        else:
            first = form.achieved if achievement else form.actual_value
        with shown_on(form, first) as refused:
            if per_contract:
                returns.save_figures(
                    monitoring_return,
                    line,
                    form.rows,
                    form.values(),
                    second_values=form.second_values(),
                    **fields,
                )
            elif achievement:
                del fields["explanation"]  # nothing to be out of line: no figure
                returns.save_achievement(
                    monitoring_return,
                    line,
                    achieved=form.achieved.data == "yes",
                    achieved_on=form.achieved_on.data,
                    **fields,
                )
            else:
                second = form.second_value.amount if isinstance(form, PairLineForm) else None
                returns.save_line(
                    monitoring_return,
                    line,
                    actual_value=form.actual_value.amount,
                    second_value=second,
                    **fields,
                )
        if not refused:
            db.session.commit()
            if plausibility.needs_explanation(line):
                # Out of line: the page says why and asks for an explanation.
                flash(f"{measure_code} saved. The figure is out of line: check it.", "success")
                return redirect(_line_url(slug, return_id, measure_code))
            flash(f"{measure_code} saved.", "success")
            return redirect(url_for(".show_return", slug=slug, return_id=return_id))
    if not form.is_submitted():
        _prefill(form, line)
    return _line_page(
        organisation,
        monitoring_return,
        line,
        line_form=form,
        upload_form=UploadForm(formdata=None),
        link_form=LinkForm(formdata=None),
    )


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
    form.version.data = monitoring_return.version_id
    lines = returns.lines_of(monitoring_return)
    evidence = returns.evidence_for(lines)
    figures = returns.figures_by_line(lines)
    return render_template(
        "organisation/return-check.html",
        form=form,
        organisation=organisation,
        monitoring_return=monitoring_return,
        period=_period(monitoring_return),
        lines=lines,
        evidence=evidence,
        figures=figures,
        problems=returns.problems(
            lines, evidence, returns.missing_figures(monitoring_return, lines, figures)
        ),
    )
