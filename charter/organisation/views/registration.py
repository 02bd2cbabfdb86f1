"""Registering an organisation: the form, "Check your answers", then the organisation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from charter.auth.decorators import verified_required
from charter.extensions import db
from charter.models.organisation import ORGANISATION_SIZES, ORGANISATION_TYPES
from charter.organisation import bp
from charter.organisation.forms.registration import (
    IDENTIFIER_FIELDS,
    RegistrationForm,
    form_data_from_answers,
)
from charter.services.domain import organisations
from charter.services.domain.identifiers import IDENTIFIER_SCHEMES, make_org_id
from charter.services.domain.schemes import current_scheme

# The answers live in the session between the form and the confirmation, never in the database.
ANSWERS_KEY = "organisation_registration"


def _scheme_or_unavailable():
    scheme = current_scheme()
    if scheme is None:
        return None, (render_template("organisation/registration-unavailable.html"), 503)
    return scheme, None


def _form(scheme, **kwargs) -> RegistrationForm:
    return RegistrationForm(sectors=scheme.sectors, districts=scheme.districts, **kwargs)


def _refuse_duplicate(form: RegistrationForm) -> None:
    field = form.identifier_field()
    field.errors = [*field.errors, organisations.DUPLICATE_ORG_ID_MESSAGE]


def _render_form(form: RegistrationForm):
    return render_template(
        "organisation/register.html", form=form, identifier_fields=IDENTIFIER_FIELDS
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
@verified_required
def register_organisation():
    scheme, unavailable = _scheme_or_unavailable()
    if unavailable:
        return unavailable
    answers = session.get(ANSWERS_KEY)
    form = _form(scheme, data=form_data_from_answers(answers) if answers else None)
    if form.validate_on_submit():
        answers = form.answers()
        if organisations.org_id_taken(
            make_org_id(answers["identifier_scheme"], answers["identifier"])
        ):
            _refuse_duplicate(form)
            return _render_form(form)
        session[ANSWERS_KEY] = answers
        return redirect(url_for("organisation.check_registration"))
    return _render_form(form)


def _summary_rows(answers: dict) -> list[dict]:
    """GOV.UK summary list rows, each with a Change link to its field on the form."""
    form_url = url_for("organisation.register_organisation")

    def row(label: str, value: str | Markup, field_id: str) -> dict:
        return {
            "key": {"text": label},
            "value": {"html": value}
            if isinstance(value, Markup)
            else {"text": value or "Not given"},
            "actions": {
                "items": [
                    {
                        "href": f"{form_url}#{field_id}",
                        "text": "Change",
                        "visuallyHiddenText": label.lower(),
                    }
                ]
            },
        }

    address = Markup("<br>").join(
        part
        for part in (answers["address_line_1"], answers["address_line_2"], answers["town"])
        if part
    )
    scheme = IDENTIFIER_SCHEMES.get(answers["identifier_scheme"])
    if scheme:
        identifier_row = row(scheme.label, answers["identifier"], IDENTIFIER_FIELDS[scheme.code])
    else:
        identifier_row = row(
            "Reason for having no registration number",
            answers["no_identifier_reason"],
            "no_identifier_reason",
        )
    return [
        row("Organisation name", answers["name"], "name"),
        row(
            "Type of organisation",
            ORGANISATION_TYPES.get(answers["organisation_type"], ""),
            "organisation_type",
        ),
        row("Size", ORGANISATION_SIZES.get(answers["size"], ""), "size"),
        row("Sector", answers["sector"], "sector"),
        row("Address", address, "address_line_1"),
        row("Postcode", answers["postcode"], "postcode"),
        row("District", answers["district"], "district"),
        row("Website", answers["website"], "website"),
        row(
            "Registered with",
            scheme.label if scheme else "None of the listed registers",
            "identifier_scheme",
        ),
        identifier_row,
    ]


@bp.route("/new/check-your-answers", methods=["GET", "POST"])
@login_required
@verified_required
def check_registration():
    scheme, unavailable = _scheme_or_unavailable()
    if unavailable:
        return unavailable
    answers = session.get(ANSWERS_KEY)
    if not answers:
        return redirect(url_for("organisation.register_organisation"))
    org_id = make_org_id(answers["identifier_scheme"], answers["identifier"])
    if request.method == "POST" and not organisations.org_id_taken(org_id):
        try:
            # The service flushes, so a clashing row can fail there as well as at commit.
            organisation = organisations.register_organisation(current_user, scheme, answers)
            db.session.commit()
        except IntegrityError:
            # Lost a race with another registration of the same identifier (or the same slug).
            db.session.rollback()
            if not organisations.org_id_taken(org_id):
                raise
        else:
            session.pop(ANSWERS_KEY, None)
            flash(f"{organisation.name} is registered", "success")
            return redirect(url_for("organisation.show_dashboard", slug=organisation.slug))
    # Checked again here: someone may have registered the same identifier in the meantime.
    if organisations.org_id_taken(org_id):
        form = _form(scheme, formdata=None, data=form_data_from_answers(answers))
        _refuse_duplicate(form)
        return _render_form(form)
    return render_template(
        "organisation/check-registration.html", rows=_summary_rows(answers), answers=answers
    )
