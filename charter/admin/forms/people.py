"""Forms of the administrators' people pages: finding an account, closing it with a reason."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from charter.form_fields import strip_whitespace


class FindPersonForm(FlaskForm):
    """Read from the query string, so it carries no CSRF token."""

    class Meta:
        csrf = False

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the email address of the person’s account"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    submit = SubmitField("Find the account", widget=GovSubmitInput())


class CloseAccountRequestForm(FlaskForm):
    reason = StringField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter why the account is being closed"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Close the account", widget=GovSubmitInput())


class PrepareCopyForm(FlaskForm):
    submit = SubmitField("Prepare a copy of their information", widget=GovSubmitInput())
