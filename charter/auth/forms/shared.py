"""What the account forms share: the email address field, the new password and its confirmation
checked against the policy (in charter.services.domain.accounts, so the rules are the same
wherever a password is set), the form that asks for an email address, and a form that is only a
button."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from charter.services.domain.accounts import normalise_email, password_problem

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def email_field(label: str = "Email address") -> StringField:
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


class NewPasswordMixin:
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


def new_password_fields(label: str = "Create a password"):
    password = PasswordField(
        label,
        widget=GovPasswordInput(),
        description="Use 12 characters or more. Three random words is a good way to do this.",
    )
    confirm = PasswordField("Confirm password", widget=GovPasswordInput())
    return password, confirm


class EmailAddressForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send link", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A form that is only a button (and its CSRF token)."""

    submit = SubmitField("Send a new link", widget=GovSubmitInput())
