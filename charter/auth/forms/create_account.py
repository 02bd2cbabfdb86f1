"""The form that creates an account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from charter.auth.forms.shared import NewPasswordMixin, email_field, new_password_fields
from charter.form_fields import clean_text_filter, visible_name


class CreateAccountForm(NewPasswordMixin, FlaskForm):
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name(),
            DataRequired("Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = email_field()
    password, confirm_password = new_password_fields()
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def policy_email(self) -> str:
        return self.email.data or ""
