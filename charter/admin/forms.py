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
