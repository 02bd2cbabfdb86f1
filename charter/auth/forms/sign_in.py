"""The sign-in form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired

from charter.services.domain.accounts import normalise_email


class SignInForm(FlaskForm):
    # No format check: any failure gets the one generic message, whatever was typed.
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[InputRequired("Enter your email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())
