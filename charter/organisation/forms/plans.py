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

from charter.form_fields import AmountField, GovDateField, clean_text_filter, visible_name
from charter.services.domain import plan_rules


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
    # Shown only for a measure that allows a target going the other way (plan_rules.py).
    backwards_reason = TextAreaField(
        "Why is the target going this way?",
        widget=GovTextArea(),
        validators=[
            Length(
                max=plan_rules.REASON_LENGTH,
                message="The reason must be 2,000 characters or fewer",
            )
        ],
    )
    submit = SubmitField("Save target", widget=GovSubmitInput())

    def __init__(self, *args, measure=None, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.unit = measure.unit if measure is not None else None  # read by AmountField
        self.term = term  # periods.plan_term: the dates the plan may use

    @property
    def allows_backwards(self) -> bool:
        return self.measure is not None and self.measure.allow_backwards_with_reason

    def _direction_problem(self):
        baseline, target = self.baseline.amount, self.target_value.amount
        if self.measure is None or baseline is None or target is None:
            return None
        return plan_rules.direction_problem(
            self.measure, baseline, target, self.backwards_reason.data
        )

    def validate_target_value(self, _field):
        problem = self._direction_problem()
        if problem and problem[0] == "target_value":
            raise ValidationError(problem[1])

    def validate_backwards_reason(self, _field):
        problem = self._direction_problem()
        if problem and problem[0] == "backwards_reason":
            raise ValidationError(problem[1])

    def validate_target_date(self, field):
        problem = (
            self.term
            and field.data
            and plan_rules.date_problem("target date", field.data, self.term)
        )
        if problem:
            raise ValidationError(problem)

    def validate_approach(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter how you will reach the target")


class MilestoneForm(FlaskForm):
    title = StringField(
        "What will you have done?",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name("milestone"),
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

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term  # periods.plan_term

    def validate_due_date(self, field):
        problem = (
            self.term
            and field.data
            and plan_rules.date_problem("milestone date", field.data, self.term)
        )
        if problem:
            raise ValidationError(problem)

    def validate_title(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Enter what you will have done by the milestone")


class ButtonForm(FlaskForm):
    """A POST button with CSRF protection: start, revise, remove, submit."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
