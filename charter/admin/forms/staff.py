"""Forms for appointing and removing a charter's staff (assessors and administrators)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from charter.form_fields import strip_whitespace


class AppointStaffForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the email address of the person to appoint"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    # Set by the confirmation page: the first POST shows who will be appointed, the second acts.
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RemoveStaffForm(FlaskForm):
    """The remove buttons carry their own words (the template); this is their CSRF token."""

    submit = SubmitField("Remove", widget=GovSubmitInput())
