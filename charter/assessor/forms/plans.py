"""The assessor's decision on an action plan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

APPROVE = "approve"
RETURN = "return"
RETURN_REASON_MESSAGE = "Give the reasons for returning the plan"


class DecisionForm(FlaskForm):
    decision = RadioField(
        "What is your decision?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(APPROVE, "Approve the action plan"),
            SelectChoice(RETURN, "Return it to the organisation for changes"),
        ],
        validators=[InputRequired("Select whether to approve or return the plan")],
    )
    comment = TextAreaField(
        "Comments",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Comments must be 5,000 characters or fewer")],
        description="Required when you return the plan: say what the organisation must change. "
        "The organisation sees your comments.",
    )
    submit = SubmitField("Send decision", widget=GovSubmitInput())

    def validate_comment(self, field):
        field.data = (field.data or "").strip()
        if self.decision.data == RETURN and not field.data:
            raise ValidationError(RETURN_REASON_MESSAGE)
