"""Closing your own account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired


class CloseAccountForm(FlaskForm):
    """Closing your own account: your password again, because it cannot be undone."""

    current_password = PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password to close your account")],
    )
    submit = SubmitField("Close my account", widget=GovSubmitInput())
