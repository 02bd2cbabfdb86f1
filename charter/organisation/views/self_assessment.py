"""The self-assessment pages: where the charter's scheme has a self-assessment (Warwickshire's
"Social Value Maturity Index self-assessment"), a member answers its questions, grouped by
theme, once a year; the result page shows the latest level and score beside the previous one.
The rules are the service's (charter.services.domain.self_assessments); a charter without a
self-assessment has no such pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.declarations import (
    chosen_answers,
    field_name,
    self_assessment_form,
)
from charter.organisation.forms.publishing import as_answer
from charter.services.domain import self_assessments
from charter.services.read_models import register_version

URL = "/<slug>/self-assessment"


def _definition(organisation) -> dict:
    definition = self_assessments.definition_of(organisation)
    if definition is None:
        abort(404)
    return definition


@bp.get(URL)
@login_required
@verified_required
def show_self_assessment(slug: str):
    organisation, membership = organisation_for_member(slug)
    definition = _definition(organisation)
    results = self_assessments.history(organisation, 2)
    latest = results[0] if results else None
    previous = results[1] if len(results) > 1 else None
    return render_template(
        "organisation/self-assessment.html",
        organisation=organisation,
        membership=membership,
        definition=definition,
        latest=latest,
        previous=previous,
        change=self_assessments.compare(latest, previous) if latest else None,
        next_from=self_assessments.next_from(latest),
        refusal=self_assessments.refusal_to_start(organisation),
    )


@bp.route(f"{URL}/new", methods=["GET", "POST"])
@login_required
@verified_required
def complete_self_assessment(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    definition = self_assessments.in_theme_order(organisation, _definition(organisation))
    posting = request.method == "POST"
    form = self_assessment_form(definition, request.form if posting else None)
    refusal = self_assessments.refusal_to_start(organisation)
    if refusal is None and form.validate_on_submit():
        publish = as_answer(form.publish.data)
        try:
            self_assessments.complete(
                organisation, current_user, chosen_answers(definition, form), publish=publish
            )
            # Its public page shows the latest result if agreed: a new one, agreed or not,
            # changes what the page shows (the last agreed result no longer stands).
            register_version.bump_pages(db.session)
            db.session.commit()
        except self_assessments.AssessmentRefused as exc:
            db.session.rollback()
            refusal = str(exc)
        else:
            flash("Your self-assessment is saved", "success")
            return redirect(url_for(".show_self_assessment", slug=slug))
    page = render_template(
        "organisation/self-assessment-form.html",
        organisation=organisation,
        definition=definition,
        themes=[
            (title, [(field_name(number), q) for number, q in numbered])
            for title, numbered in _numbered(organisation, definition)
        ],
        form=form,
        refusal=refusal,
    )
    # Refused for the date: nothing saved, and the page says when it may be repeated.
    return page, 409 if posting and refusal else 200


def _numbered(organisation, definition):
    """The questions by theme, each with its number (``definition`` is in theme order)."""
    numbers = {q["code"]: n for n, q in enumerate(definition["questions"], start=1)}
    return [
        (title, [(numbers[q["code"]], q) for q in questions])
        for title, questions in self_assessments.themes_of(organisation, definition)
    ]


@bp.app_template_global("published_self_assessment")
def published_self_assessment(organisation):
    """For the charter's public register page: the organisation's latest self-assessment if it
    agreed to publish it (None otherwise, and for a charter without one)."""
    if self_assessments.definition_of(organisation) is None:
        return None
    return self_assessments.published_result(organisation)
