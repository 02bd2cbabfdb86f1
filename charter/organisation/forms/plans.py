"""Forms for writing an action plan: one target per page, milestones, and the buttons."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from charter.form_fields import AmountField, GovDateField


def _future(message: str):
    def check(_form, field):
        if field.data is not None and field.data <= date.today():
            raise ValidationError(message)

    return check


class TargetForm(FlaskForm):
    baseline = AmountField(
        "Baseline",
        missing="Enter the baseline, your figure now",
        label_in_messages="the baseline",
    )
    target_value = AmountField(
        "Target",
        missing="Enter the target",
        label_in_messages="the target",
    )
    target_date = GovDateField(
        "When will you reach the target?",
        name_for_errors="the target date",
        validators=[_future("The target date must be in the future")],
        description="For example, 31 3 2028",
    )
    approach = TextAreaField(
        "How you will do it",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter how you will reach the target"),
            Length(max=5000, message="How you will do it must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save target", widget=GovSubmitInput())

    def __init__(self, *args, unit: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit  # the measure's unit code, read by AmountField

    def validate_approach(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter how you will reach the target")


class MilestoneForm(FlaskForm):
    title = StringField(
        "What will you have done?",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter what you will have done by the milestone"),
            Length(max=200, message="The milestone must be 200 characters or fewer"),
        ],
        description="For example, ‘Local supplier event held’",
    )
    due_date = GovDateField(
        "By when?",
        name_for_errors="the milestone date",
        validators=[_future("The milestone date must be in the future")],
        description="For example, 30 9 2027",
    )
    submit = SubmitField("Add milestone", widget=GovSubmitInput())

    def validate_title(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what you will have done by the milestone")


class ButtonForm(FlaskForm):
    """A POST button with CSRF protection: start, revise, remove, submit."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
