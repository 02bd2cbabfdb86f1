"""Resetting a forgotten password and changing one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired

from charter.auth.forms.shared import NewPasswordMixin, new_password_fields


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password, confirm_password = new_password_fields("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def policy_email(self) -> str:
        return self._email


class ChangePasswordForm(ResetPasswordForm):
    # Declared here, before the new-password fields, so the error summary follows page order.
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
    )
    password, confirm_password = new_password_fields("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())
