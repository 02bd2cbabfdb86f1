"""The form an administrator decides an appeal with."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length

from charter.form_fields import strip_whitespace

APPEAL_DECISIONS = {"uphold": "Uphold the appeal", "dismiss": "Dismiss the appeal"}


class AppealDecisionForm(FlaskForm):
    decision = RadioField(
        "What is your decision?",
        choices=[SelectChoice(value, label) for value, label in APPEAL_DECISIONS.items()],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether to uphold or dismiss the appeal"),
            AnyOf(list(APPEAL_DECISIONS), message="Select whether to uphold or dismiss the appeal"),
        ],
    )
    reason = TextAreaField(
        "Reasons for your decision",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter the reasons for your decision"),
            Length(max=5000, message="Reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())
