"""Assessors' work on Charter Mark applications: reviewing the snapshot, judging each measure,
asking for information, refusing, awarding and moderating an award.

Administrators may look; only assessors decide, and never on their own organisation.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from charter.assessor import bp
from charter.assessor.forms.applications import (
    CONFIRM,
    AwardForm,
    InformationRequestForm,
    JudgementForm,
    ModerationForm,
    RefusalForm,
)
from charter.auth.decorators import acts_as, staff_required
from charter.extensions import db
from charter.models import Scheme
from charter.models.assessment import APPLICATION_AWAITING_MODERATION, APPLICATION_OPEN
from charter.models.staff import ASSESSOR
from charter.services.domain import assessment, signings, snapshots
from charter.services.domain.lifecycle import is_member
from charter.services.read_models import commitments


def _application_or_404(application_id: int):
    application = assessment.application_by_id(application_id)
    if application is None or not signings.in_acting_charter_row(application):
        abort(404)
    organisation = assessment.organisation_of(application)
    return application, organisation


def _judgement_prefix(measure_id: int) -> str:
    return f"measure-{measure_id}"


def _fresh(form_class, application, prefix: str):
    form = form_class(formdata=None, prefix=prefix)
    form.version.data = application.version_id
    return form


def _review_page(application, organisation, *, failing=None, failing_measure=None, status=200):
    """The review page; ``failing`` is a posted form with errors, shown in place of its blank
    twin (``failing_measure`` says which measure's judgement form it is)."""
    scheme = db.session.get(Scheme, application.scheme_id)
    measures = snapshots.snapshot_measures(application)
    judgements = assessment.judgements_of(application)
    judgement_forms = {}
    for measure in measures:
        if failing is not None and failing_measure == measure.measure_id:
            judgement_forms[measure.measure_id] = failing
            continue
        earlier = judgements.get(measure.measure_id)
        judgement_forms[measure.measure_id] = JudgementForm(
            formdata=None,
            prefix=_judgement_prefix(measure.measure_id),
            data={"verdict": earlier.verdict, "comment": earlier.comment} if earlier else None,
        )
    forms = {
        "request_form": _fresh(InformationRequestForm, application, "request"),
        "refusal_form": _fresh(RefusalForm, application, "refusal"),
        "award_form": _fresh(AwardForm, application, "award"),
        "moderation_form": _fresh(ModerationForm, application, "moderation"),
    }
    for name, form in forms.items():
        if failing is not None and type(failing) is type(form):
            forms[name] = failing
    social_value, social_value_total = assessment.social_value(measures, application.snapshot)
    conflict = is_member(current_user, organisation)
    is_assessor = acts_as(ASSESSOR) and not conflict
    return (
        render_template(
            "assessor/application-review.html",
            form=failing,
            application=application,
            organisation=organisation,
            scheme=scheme,
            verified_returns=snapshots.verified_return_count(application),
            measures=measures,
            judgements=judgements,
            judgement_forms=judgement_forms,
            evidence_files=assessment.existing_evidence_files(measures),
            social_value=social_value,
            social_value_total=social_value_total,
            contracts=snapshots.snapshot_contracts(application),
            commitments_report=commitments.for_organisation(organisation),
            information_requests=assessment.information_requests(application),
            rule=assessment.award_rule_result(application, scheme),
            is_conflicted=conflict,
            may_judge=is_assessor and application.status in assessment.JUDGEABLE_STATUSES,
            may_decide=is_assessor and application.status == APPLICATION_OPEN,
            may_moderate=is_assessor
            and application.status == APPLICATION_AWAITING_MODERATION
            and application.decided_by_id != current_user.id,
            **forms,
        ),
        status,
    )


@bp.get("/applications/<int:application_id>")
def review_application(application_id: int):
    application, organisation = _application_or_404(application_id)
    return _review_page(application, organisation)


@bp.post("/applications/<int:application_id>/measures/<int:measure_id>/judgement")
@staff_required(ASSESSOR)
def judge_measure(application_id: int, measure_id: int):
    application, organisation = _application_or_404(application_id)
    if measure_id not in {m.measure_id for m in snapshots.snapshot_measures(application)}:
        abort(404)
    form = JudgementForm(prefix=_judgement_prefix(measure_id))
    if not form.validate_on_submit():
        return _review_page(application, organisation, failing=form, failing_measure=measure_id)
    judgement = assessment.judge_measure(
        application,
        current_user._get_current_object(),
        measure_id,
        form.verdict.data,
        form.comment.data,
    )
    db.session.commit()
    code = next(
        m.code for m in snapshots.snapshot_measures(application) if m.measure_id == measure_id
    )
    flash(f"You judged {code} as ‘{judgement.verdict_label.lower()}’.", "success")
    return redirect(
        url_for(".review_application", application_id=application.id, _anchor=f"measure-{code}")
    )


@bp.post("/applications/<int:application_id>/information-request")
@staff_required(ASSESSOR)
def request_information(application_id: int):
    application, organisation = _application_or_404(application_id)
    form = InformationRequestForm(prefix="request")
    if not form.validate_on_submit():
        return _review_page(application, organisation, failing=form)
    assessment.request_information(
        application, current_user._get_current_object(), form.questions.data, form.version.data
    )
    db.session.commit()
    flash(
        f"You asked {organisation.name} for more information. We have emailed its members.",
        "success",
    )
    return redirect(url_for(".list_work"))


@bp.post("/applications/<int:application_id>/refusal")
@staff_required(ASSESSOR)
def refuse_application(application_id: int):
    application, organisation = _application_or_404(application_id)
    form = RefusalForm(prefix="refusal")
    if not form.validate_on_submit():
        return _review_page(application, organisation, failing=form)
    assessment.refuse(
        application, current_user._get_current_object(), form.reasons.data, form.version.data
    )
    db.session.commit()
    flash(
        f"You refused the Charter Mark for {organisation.name}. We have emailed its members.",
        "success",
    )
    return redirect(url_for(".list_work"))


@bp.post("/applications/<int:application_id>/award")
@staff_required(ASSESSOR)
def award_application(application_id: int):
    application, organisation = _application_or_404(application_id)
    form = AwardForm(prefix="award")
    if not form.validate_on_submit():
        return _review_page(application, organisation, failing=form)
    mark = assessment.award(
        application, current_user._get_current_object(), form.rationale.data, form.version.data
    )
    db.session.commit()
    if mark is None:
        flash(
            f"Your award for {organisation.name} is waiting for moderation: a different "
            "assessor must confirm it.",
            "success",
        )
    else:
        flash(
            f"You awarded the Charter Mark to {organisation.name}: certificate "
            f"{mark.certificate_number}. We have emailed its members.",
            "success",
        )
    return redirect(url_for(".list_work"))


@bp.post("/applications/<int:application_id>/moderation")
@staff_required(ASSESSOR)
def moderate_application(application_id: int):
    application, organisation = _application_or_404(application_id)
    form = ModerationForm(prefix="moderation")
    if not form.validate_on_submit():
        return _review_page(application, organisation, failing=form)
    mark = assessment.moderate(
        application,
        current_user._get_current_object(),
        confirm=form.decision.data == CONFIRM,
        reasons=form.reasons.data or "",
        version=form.version.data,
    )
    db.session.commit()
    if mark is None:
        flash(f"You sent the award for {organisation.name} back to be assessed again.", "success")
    else:
        flash(
            f"You confirmed the award to {organisation.name}: certificate "
            f"{mark.certificate_number}. We have emailed its members.",
            "success",
        )
    return redirect(url_for(".list_work"))
