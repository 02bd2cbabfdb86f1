"""Forms for the sanctions on an organisation: suspend, lift, revoke."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from charter.form_fields import strip_whitespace


class SanctionReasonForm(FlaskForm):
    """Suspending an organisation or revoking its mark: the reason goes to its members and
    into the audit trail."""

    reason = StringField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the reason"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class LiftSuspensionForm(FlaskForm):
    submit = SubmitField("Lift the suspension", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that changes something, posted with its CSRF token (the template names it)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
