"""Forms of the administration pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from workflows.lifecycle import STATE_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AppointAssessorForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired(message="Enter the email address of the person to appoint"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    # Set by the confirmation page: the first POST shows who will be appointed, the second acts.
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RevokeAssessorForm(FlaskForm):
    submit = SubmitField("Remove assessor role", widget=GovSubmitInput())


class OrganisationFilterForm(FlaskForm):
    """Read from the query string, so it carries no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "All statuses"),
            *(SelectChoice(state, label) for state, label in STATE_LABELS.items()),
        ],
        validate_choice=False,
    )


def _org_id_format(_form, field):
    # Imported here so this block stays a plain addition to the module.
    from wtforms.validators import ValidationError

    from charter.services.contracts import normalise_org_id
    from charter.services.identifiers import InvalidIdentifier

    try:
        field.normalised = normalise_org_id(field.data)
    except InvalidIdentifier as error:
        field.normalised = None
        raise ValidationError(str(error)) from None


class CommissionerForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired(message="Enter the name of the commissioner"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
        description="As organisations will know it, for example ‘Shropshire Council’",
    )
    org_id = StringField(
        "Org-id (optional)",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            Length(max=45, message="Org-id must be 45 characters or fewer"),
            _org_id_format,
        ],
        description="The body’s identifier from org-id.guide, like GB-LAE-SHR or GB-NHS-RXW",
    )
    submit = SubmitField("Save commissioner", widget=GovSubmitInput())


class CommissionerStatusForm(FlaskForm):
    """The deactivate and reactivate buttons."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
