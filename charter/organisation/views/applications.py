"""Applying for the Charter Mark (or its renewal), answering the assessor, and appealing.

Members apply and answer; scheme staff may look at the pages but get no buttons. A refusal the
organisation can act on is a TransitionRefused: a 409 page saying why, with nothing saved.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models import Scheme
from charter.models.assessment import APPLICATION_INFORMATION_REQUESTED
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.applications import AnswerForm, AppealForm, ApplyForm
from charter.services.domain import applications, contracts, marks, progress
from charter.services.domain.schemes import scheme_of
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

URL = "/<slug>/charter-mark"


def _start_page(organisation, membership, form: ApplyForm):
    renewal = organisation.mark_status == lifecycle.RENEWAL_DUE
    missing = applications.eligibility(organisation)
    since = marks.evidence_since(organisation)
    scheme = scheme_of(organisation)
    measured = progress.measure_progress(organisation) if not missing else []
    contract_count, contract_total = contracts.contract_summary(organisation)
    if renewal:
        form.submit.label.text = "Apply to renew"
    return render_template(
        "organisation/application-start.html",
        organisation=organisation,
        membership=membership,
        form=form,
        renewal=renewal,
        missing=missing,
        checklist=progress.charter_mark_checklist(organisation, scheme, measured)
        if not missing
        else [],
        progress=measured,
        verified_count=progress.verified_return_count(organisation, since),
        evidence_since=since,
        contract_count=contract_count,
        contract_total=contract_total,
    )


@bp.get(URL)
@login_required
@verified_required
def start_application(slug: str):
    organisation, membership = organisation_for_member(slug)
    if organisation.mark_status in applications.ASSESSMENT_STATES:
        return redirect(url_for(".show_application", slug=slug))
    return _start_page(organisation, membership, ApplyForm())


@bp.post(URL)
@login_required
@verified_required
def submit_application(slug: str):
    organisation, membership = organisation_for_member(slug, staff_may_view=False)
    form = ApplyForm()
    if not form.validate_on_submit():
        return _start_page(organisation, membership, form)
    applications.apply(
        organisation, current_user, renewal=organisation.mark_status == lifecycle.RENEWAL_DUE
    )
    db.session.commit()
    return redirect(url_for(".application_submitted", slug=slug), code=303)


@bp.get(f"{URL}/submitted")
@login_required
@verified_required
def application_submitted(slug: str):
    organisation, membership = organisation_for_member(slug)
    application = applications.latest_application(organisation)
    if application is None:
        return redirect(url_for(".start_application", slug=slug))
    return render_template(
        "organisation/application-submitted.html",
        organisation=organisation,
        membership=membership,
        application=application,
    )


def _application_page(organisation, membership, application, answer_form: AnswerForm):
    open_request = (
        applications.open_information_request(application)
        if application.status == APPLICATION_INFORMATION_REQUESTED
        else None
    )
    appeal = applications.appeal_of(application)
    scheme = db.session.get(Scheme, application.scheme_id)
    return render_template(
        "organisation/application-show.html",
        form=answer_form,
        organisation=organisation,
        membership=membership,
        application=application,
        requests=applications.information_requests(application),
        open_request=open_request,
        appeal=appeal,
        refusal_reason=applications.refusal_reason(application, appeal),
        appeal_closes_on=applications.appeal_closes_on(application, scheme),
        can_appeal=membership is not None and applications.can_appeal(application),
    )


def _latest(organisation):
    application = applications.latest_application(organisation)
    if application is None:
        abort(404)
    return application


@bp.get(f"{URL}/application")
@login_required
@verified_required
def show_application(slug: str):
    organisation, membership = organisation_for_member(slug)
    application = applications.latest_application(organisation)
    if application is None:
        return redirect(url_for(".start_application", slug=slug))
    return _application_page(organisation, membership, application, AnswerForm())


@bp.post(f"{URL}/application/answer")
@login_required
@verified_required
def answer_information_request(slug: str):
    organisation, membership = organisation_for_member(slug, staff_may_view=False)
    application = _latest(organisation)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _application_page(organisation, membership, application, form)
    applications.provide_information(application, current_user, form.answer.data)
    db.session.commit()
    flash("Your answer has been sent to the assessor.", "success")
    return redirect(url_for(".show_application", slug=slug), code=303)


@bp.route(f"{URL}/appeal", methods=["GET", "POST"])
@login_required
@verified_required
def lodge_appeal(slug: str):
    organisation, membership = organisation_for_member(slug, staff_may_view=False)
    application = _latest(organisation)
    applications.require_appealable(application)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            applications.lodge_appeal(application, current_user, form.grounds.data)
            db.session.commit()
        except IntegrityError:
            # Another member's appeal against the same decision was saved first.
            db.session.rollback()
            raise TransitionRefused("You have already appealed against this decision.") from None
        flash("Your appeal has been lodged. An administrator will decide it.", "success")
        return redirect(url_for(".show_application", slug=slug), code=303)
    scheme = db.session.get(Scheme, application.scheme_id)
    return render_template(
        "organisation/appeal-form.html",
        form=form,
        organisation=organisation,
        membership=membership,
        application=application,
        refusal_reason=applications.refusal_reason(application),
        appeal_closes_on=applications.appeal_closes_on(application, scheme),
    )
