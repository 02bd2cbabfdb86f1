"""Sign the charter: start page, four question pages, check your answers, confirmation.

Answers are kept in the Flask session under a key per organisation until the charter is
signed; nothing is written to the database before the final "Sign the charter" button.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from charter.auth.decorators import verified_required
from charter.award import award_of
from charter.extensions import db
from charter.models import Organisation, Scheme
from charter.models.signing import ROUTES, acting_charter
from charter.organisation import bp
from charter.organisation.access import organisation_for_member
from charter.organisation.forms.publishing import PUBLISH_LABELS, as_answer, as_choice
from charter.organisation.forms.signing import (
    ROUTE_HINTS,
    ConfirmSigningForm,
    PrinciplesForm,
    PublishingForm,
    RouteForm,
    SignatoryForm,
    principle_element_id,
)
from charter.services.domain import signings
from charter.services.domain.organisations import latest_signature
from charter.services.domain.schemes import principles_of
from charter.services.domain.signing import (
    can_sign_from,
    scheme_to_sign,
    sign_charter,
    signing_refusal,
)

URL = "/<slug>/sign-the-charter"


def _session_key(organisation: Organisation) -> str:
    # A journey per charter signed (the one the address names, charter.acting_charter).
    charter_id = acting_charter.get()
    key = f"sign-the-charter:{organisation.id}"
    return key if charter_id is None else f"{key}:{charter_id}"


def _answers(organisation: Organisation) -> dict:
    return dict(session.get(_session_key(organisation), {}))


def _remember(organisation: Organisation, **values) -> None:
    answers = _answers(organisation)
    answers.update(values)
    session[_session_key(organisation)] = answers


def _first_incomplete_page(answers: dict, scheme: Scheme, principles) -> str | None:
    """The endpoint of the first question not yet answered, or None when all are."""
    codes = {p.code for p in principles}
    if answers.get("scheme_id") != scheme.id or not codes <= set(answers.get("principles", ())):
        return "organisation.sign_principles"
    if (
        not answers.get("signatory_name")
        or not answers.get("signatory_role")
        or answers.get("has_authority") is not True
    ):
        return "organisation.sign_signatory"
    if answers.get("route") not in ROUTES:
        return "organisation.sign_route"
    if not isinstance(answers.get("publishes_figures"), bool):
        return "organisation.sign_publishing"
    return None


def _next_page(organisation: Organisation, scheme: Scheme, principles):
    """After each answer: the next unanswered question, or back to check your answers."""
    endpoint = _first_incomplete_page(_answers(organisation), scheme, principles)
    return redirect(
        url_for(endpoint or "organisation.check_signing_answers", slug=organisation.slug)
    )


def _journey(slug: str):
    """The organisation (members only), the scheme it would sign and its principles.

    Someone whose organisation cannot sign now is sent to the start page, which says why.
    """
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    scheme = scheme_to_sign(organisation)
    if signing_refusal(organisation, scheme):
        return organisation, None, None, redirect(url_for(".start_signing", slug=slug))
    return organisation, scheme, principles_of(scheme), None


@bp.get(URL)
@login_required
@verified_required
def start_signing(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    scheme = scheme_to_sign(organisation)
    return render_template(
        "organisation/sign-start.html",
        organisation=organisation,
        scheme=scheme,
        principles=principles_of(scheme) if scheme else [],
        refusal=signing_refusal(organisation, scheme),
        routes=ROUTES,
        route_hints=ROUTE_HINTS,
    )


@bp.route(f"{URL}/principles", methods=["GET", "POST"])
@login_required
@verified_required
def sign_principles(slug: str):
    organisation, scheme, principles, elsewhere = _journey(slug)
    if elsewhere:
        return elsewhere
    answers = _answers(organisation)
    form = PrinciplesForm(principles=principles)
    if form.validate_on_submit():
        _remember(organisation, scheme_id=scheme.id, principles=form.accepted_codes)
        return _next_page(organisation, scheme, principles)
    if not form.is_submitted() and answers.get("scheme_id") == scheme.id:
        form.principles.data = answers.get("principles", [])
    missing = {p.code for p in form.missing}
    return render_template(
        "organisation/sign-principles.html",
        form=form,
        organisation=organisation,
        scheme=scheme,
        principles=principles,
        ticked=set(form.principles.data or ()),
        missing=missing,
        element_id=principle_element_id,
    )


@bp.route(f"{URL}/signatory", methods=["GET", "POST"])
@login_required
@verified_required
def sign_signatory(slug: str):
    organisation, scheme, principles, elsewhere = _journey(slug)
    if elsewhere:
        return elsewhere
    answers = _answers(organisation)
    form = SignatoryForm(organisation_name=organisation.name)
    if form.validate_on_submit():
        _remember(
            organisation,
            signatory_name=form.signatory_name.data,
            signatory_role=form.signatory_role.data,
            has_authority=True,
        )
        return _next_page(organisation, scheme, principles)
    if not form.is_submitted():
        # Most often the person filling this in signs: start with their name (issue 11).
        form.signatory_name.data = answers.get("signatory_name") or current_user.full_name
        form.signatory_role.data = answers.get("signatory_role")
        form.has_authority.data = answers.get("has_authority") is True
    return render_template("organisation/sign-signatory.html", form=form, organisation=organisation)


@bp.route(f"{URL}/route", methods=["GET", "POST"])
@login_required
@verified_required
def sign_route(slug: str):
    organisation, scheme, principles, elsewhere = _journey(slug)
    if elsewhere:
        return elsewhere
    form = RouteForm()
    if form.validate_on_submit():
        _remember(organisation, route=form.route.data)
        return _next_page(organisation, scheme, principles)
    if not form.is_submitted():
        form.route.data = _answers(organisation).get("route")
    return render_template(
        "organisation/sign-route.html",
        form=form,
        organisation=organisation,
        award=award_of(scheme),
        route_items=[{"hint": {"text": ROUTE_HINTS[route]}} for route in ROUTES],
    )


@bp.route(f"{URL}/publish-figures", methods=["GET", "POST"])
@login_required
@verified_required
def sign_publishing(slug: str):
    organisation, scheme, principles, elsewhere = _journey(slug)
    if elsewhere:
        return elsewhere
    form = PublishingForm()
    if form.validate_on_submit():
        _remember(organisation, publishes_figures=as_answer(form.publish.data))
        return _next_page(organisation, scheme, principles)
    if not form.is_submitted():
        form.publish.data = as_choice(_answers(organisation).get("publishes_figures"))
    return render_template(
        "organisation/sign-publish-figures.html", form=form, organisation=organisation
    )


@bp.route(f"{URL}/check-your-answers", methods=["GET", "POST"])
@login_required
@verified_required
def check_signing_answers(slug: str):
    if request.method == "POST":
        return _sign(slug)
    organisation, scheme, principles, elsewhere = _journey(slug)
    if elsewhere:
        return elsewhere
    answers = _answers(organisation)
    incomplete = _first_incomplete_page(answers, scheme, principles)
    if incomplete:
        return redirect(url_for(incomplete, slug=slug))
    form = ConfirmSigningForm(version=signings.required_signing_of(organisation).version_id)
    return render_template(
        "organisation/sign-check-answers.html",
        form=form,
        organisation=organisation,
        scheme=scheme,
        principles=principles,
        answers=answers,
        route_label=ROUTES[answers["route"]],
        publish_label=PUBLISH_LABELS[as_choice(answers["publishes_figures"])],
    )


def _sign(slug: str):
    """The "Sign the charter" button. No redirects back into the journey here: whatever the
    state or the answers, the version check and the lifecycle machine decide, and a refusal
    is shown as such (409/403) with nothing saved."""
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    form = ConfirmSigningForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    sign_charter(organisation, user, _answers(organisation), form.version.data)
    db.session.commit()
    session.pop(_session_key(organisation), None)
    return redirect(url_for(".signing_confirmation", slug=slug))


@bp.get(f"{URL}/signed")
@login_required
@verified_required
def signing_confirmation(slug: str):
    organisation, _membership = organisation_for_member(slug, staff_may_view=False)
    signature = latest_signature(organisation)
    if signature is None or can_sign_from(organisation.status):
        # Not signed (or signed once and since lapsed or withdrawn): nothing to confirm.
        return redirect(url_for(".start_signing", slug=slug))
    return render_template(
        "organisation/sign-confirmation.html",
        organisation=organisation,
        signature=signature,
        reference=signature.reference,
        route_label=ROUTES.get(signature.route, signature.route),
    )
