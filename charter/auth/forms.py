"""Account forms. Every field carries a GOV.UK-style message; the password policy itself lives
in charter.services.domain.accounts so the rules are the same wherever a password is set."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from charter.form_fields import clean_text_filter, visible_name
from charter.services.domain.accounts import normalise_email, password_problem

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def _email_field(label: str = "Email address") -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[
            InputRequired("Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message=EMAIL_FORMAT_MESSAGE, check_deliverability=False),
        ],
    )


class _NewPasswordMixin:
    """New password + confirmation, checked against the policy. ``policy_email`` is the address
    whose first part may not appear in the password."""

    def policy_email(self) -> str:
        return ""

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.policy_email())
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field):
        if not field.data:
            raise ValidationError("Confirm your password")
        if field.data != self.password.data:
            raise ValidationError("Passwords must match")


def _new_password_fields(label: str = "Create a password"):
    password = PasswordField(
        label,
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to do this.",
    )
    confirm = PasswordField("Confirm password", widget=GovPasswordInput())
    return password, confirm


class CreateAccountForm(_NewPasswordMixin, FlaskForm):
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
    email = _email_field()
    password, confirm_password = _new_password_fields()
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def policy_email(self) -> str:
        return self.email.data or ""


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


class EmailAddressForm(FlaskForm):
    email = _email_field()
    submit = SubmitField("Send link", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""

    submit = SubmitField("Send a new link", widget=GovSubmitInput())


class ResetPasswordForm(_NewPasswordMixin, FlaskForm):
    password, confirm_password = _new_password_fields("New password")
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
    password, confirm_password = _new_password_fields("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class CloseAccountForm(FlaskForm):
    """Closing your own account: your password again, because it cannot be undone."""

    current_password = PasswordField(
        "Your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password to close your account")],
    )
    submit = SubmitField("Close my account", widget=GovSubmitInput())
