"""The form for making a toolkit pledge on a contract: a number for each [#] in the pledge (in
its unit: a whole number, or a percentage where the pledge writes "[#]%"), how often its
indicator is reported (from the measure's frequencies), and notes. Built per pledge with
``for_pledge``, as the number of [#] differs from one pledge to the next."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from charter.form_fields import AmountField, strip_whitespace
from charter.services.domain.pledges import FREQUENCY_LABELS, slot_units

CHOOSE_FREQUENCY = "Select how often you will report this pledge"
ORDINALS = ("first", "second", "third", "fourth")


class PledgeForm(FlaskForm):
    frequency = RadioField(
        "How often will you report it?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(CHOOSE_FREQUENCY)],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[Length(max=2000, message="Notes must be 2,000 characters or fewer")],
        description="For example, the part of the tender the pledge comes from",
    )
    submit = SubmitField("Make this pledge", widget=GovSubmitInput())

    @classmethod
    def for_pledge(cls, measure, **kwargs) -> PledgeForm:
        units = slot_units(measure.pledge)
        fields = {}
        for index, unit in enumerate(units):
            which = "the number" if len(units) == 1 else f"the {ORDINALS[index]} number"
            fields[f"number_{index}"] = AmountField(
                "Your number" if len(units) == 1 else f"Your {ORDINALS[index]} number",
                missing=f"Enter {which} for the [#] in the pledge",
                label_in_messages=which,
                unit=unit,
            )
        form = type("PledgeFormFor", (cls,), fields)(**kwargs)
        form.units = units
        form.frequency.choices = [
            SelectChoice(f, FREQUENCY_LABELS[f]) for f in measure.frequencies or []
        ]
        return form

    def number_fields(self):
        return [self[f"number_{i}"] for i in range(len(self.units))]

    def numbers(self):
        return [field.amount for field in self.number_fields()]

    def validate_frequency(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(CHOOSE_FREQUENCY)
