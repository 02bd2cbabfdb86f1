"""Assessors' work on monitoring returns: reviewing one, accepting or querying each measure.

The list of returns waiting is on the assessor's work page (charter.assessor.views.work).
Administrators may look; only assessors decide, and never on their own organisation's return.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.assessor import bp
from charter.assessor.forms.returns import ACCEPTED, FigureCheckedForm, ReturnDecisionForm
from charter.auth.decorators import acts_as, staff_required
from charter.extensions import db
from charter.models import Organisation
from charter.models.monitoring import LINE_ACCEPTED, RETURN_SUBMITTED
from charter.models.staff import ASSESSOR
from charter.services.domain import periods, plausibility, return_review, returns, signings
from charter.services.domain.lifecycle import is_member


def _return_or_404(return_id: int):
    monitoring_return = returns.return_by_id(return_id)
    if monitoring_return is None or not signings.in_acting_charter_row(monitoring_return):
        abort(404)
    return monitoring_return, db.session.get(Organisation, monitoring_return.organisation_id)


def _decision_form(lines, **kwargs) -> ReturnDecisionForm:
    # Measures accepted in an earlier round start accepted; the assessor may still query them.
    accepted = {
        f"decision_{line.id}": ACCEPTED for line in lines if line.review_status == LINE_ACCEPTED
    }
    return ReturnDecisionForm.for_lines(lines, data=accepted, **kwargs)


def _review_page(monitoring_return, organisation, lines, form, status: int = 200):
    conflict = is_member(current_user, organisation)
    return (
        render_template(
            "assessor/return-review.html",
            form=form,
            monitoring_return=monitoring_return,
            organisation=organisation,
            period=periods.Period(monitoring_return.period_start, monitoring_return.period_end),
            lines=lines,
            evidence=returns.evidence_for(lines),
            figures=returns.figures_by_line(lines),
            targets=returns.targets_for(monitoring_return),
            is_conflicted=conflict,
            checked_form=FigureCheckedForm(formdata=None),
            may_check=acts_as(ASSESSOR) and not conflict,
            may_decide=acts_as(ASSESSOR)
            and not conflict
            and monitoring_return.status == RETURN_SUBMITTED,
        ),
        status,
    )


@bp.get("/returns/<int:return_id>")
def review_return(return_id: int):
    monitoring_return, organisation = _return_or_404(return_id)
    lines = returns.lines_of(monitoring_return)
    form = _decision_form(lines)
    form.version.data = monitoring_return.version_id
    return _review_page(monitoring_return, organisation, lines, form)


@bp.post("/returns/<int:return_id>/decision")
@staff_required(ASSESSOR)
def decide_return(return_id: int):
    monitoring_return, organisation = _return_or_404(return_id)
    assessor = current_user._get_current_object()
    return_review.require_decidable(monitoring_return, organisation, assessor)
    lines = returns.lines_of(monitoring_return)
    form = _decision_form(lines)
    if not form.validate_on_submit():
        return _review_page(monitoring_return, organisation, lines, form)
    verified = return_review.decide_return(
        monitoring_return, assessor, form.decisions(), form.version.data
    )
    db.session.commit()
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    flash(
        f"You {'verified' if verified else 'queried'} the return from {organisation.name} for "
        f"{period.label}. We have emailed its members.",
        "success",
    )
    return redirect(url_for(".list_work"))


@bp.post("/returns/<int:return_id>/lines/<int:line_id>/checked")
@staff_required(ASSESSOR)
def check_flagged_figure(return_id: int, line_id: int):
    """A figure flagged as out of line counts once an assessor says they have checked it
    (charter.services.domain.plausibility); recorded in the organisation's audit trail."""
    monitoring_return, organisation = _return_or_404(return_id)
    line = next((x for x in returns.lines_of(monitoring_return) if x.id == line_id), None)
    if line is None:
        abort(404)
    if is_member(current_user, organisation):
        abort(403)
    if not FigureCheckedForm().validate_on_submit():
        abort(400)
    code = line.measure.code
    plausibility.mark_checked(line, monitoring_return, current_user._get_current_object())
    db.session.commit()
    flash(f"You checked the {code} figure. It now counts.", "success")
    return redirect(url_for(".review_return", return_id=return_id) + f"#line-{line_id}")
