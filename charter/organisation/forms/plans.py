"""Forms for writing an action plan: one target per page, milestones, and the buttons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

MAX_AMOUNT = Decimal("999999999999.99")  # the Numeric(14, 2) columns


class GovDateField(DateField):
    """Day, month and year boxes, with GOV.UK messages for missing or impossible dates."""

    def __init__(self, label, *, name_for_errors: str, **kwargs):
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.name_for_errors = name_for_errors

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        parts = [v.strip() for v in valuelist]
        self.data = None
        if not any(parts):
            raise ValueError(f"Enter {self.name_for_errors}")
        if not all(parts):
            raise ValueError(
                f"{self.name_for_errors.capitalize()} must include a day, month and year"
            )
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(f"{self.name_for_errors.capitalize()} must be a real date") from None

    def pre_validate(self, form):  # noqa: ARG002
        if self.data is None and not self.process_errors:
            raise ValidationError(f"Enter {self.name_for_errors}")


def _future(message: str):
    def check(_form, field):
        if field.data is not None and field.data <= date.today():
            raise ValidationError(message)

    return check


class AmountField(StringField):
    """A number in the measure's unit, kept as a Decimal; commas and a £ sign are allowed."""

    def __init__(self, label, *, missing: str, not_number: str, **kwargs):
        super().__init__(label, widget=GovTextInput(), **kwargs)
        self.missing = missing
        self.not_number = not_number
        self.amount: Decimal | None = None

    def pre_validate(self, form):
        text = (self.data or "").strip().replace(",", "").replace("£", "").rstrip("%").strip()
        self.amount = None
        if not text:
            raise ValidationError(self.missing)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.not_number) from None
        if not amount.is_finite():
            raise ValidationError(self.not_number)
        if amount < 0:
            raise ValidationError(f"{self.label.text} must be 0 or more")
        if amount > MAX_AMOUNT:
            raise ValidationError(f"{self.label.text} is too large")
        if getattr(form, "is_percent", False) and amount > 100:
            raise ValidationError(f"{self.label.text} must be 100 or less")
        self.amount = amount.quantize(Decimal("0.01"))


class TargetForm(FlaskForm):
    baseline = AmountField(
        "Baseline",
        missing="Enter the baseline, your figure now",
        not_number="Enter the baseline as a number, like 120",
    )
    target_value = AmountField(
        "Target",
        missing="Enter the target",
        not_number="Enter the target as a number, like 250",
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

    def __init__(self, *args, is_percent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_percent = is_percent

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
