"""Forms for recording a contract won and the social value commitments made at tender."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from charter.form_fields import (
    MAX_AMOUNT,
    AmountField,
    GovDateField,
    VersionField,
    clean_text_filter,
    no_nul_characters,
    strip_whitespace,
    visible_name,
)
from charter.services.domain.contract_rules import END_BEFORE_START, ContractRules

VALUE_FORMAT_MESSAGE = "Enter the contract value in pounds, like 125000"
END_BEFORE_START_MESSAGE = END_BEFORE_START
CHOOSE_COMMISSIONER_MESSAGE = "Select the commissioner who awarded the contract"
# Whole pounds with or without thousands separators, then optional pence: 12500, 12,500.50.
_POUNDS = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


class MoneyField(StringField):
    """An amount in pounds, kept as a Decimal in ``amount``; a £ sign and commas are allowed.
    Only its form is checked here: the form that uses it checks its range."""

    def __init__(self, label, **kwargs):
        super().__init__(label, widget=GovTextInput(), filters=[strip_whitespace], **kwargs)
        self.amount: Decimal | None = None

    def pre_validate(self, form):  # noqa: ARG002
        self.amount = None
        text = (self.data or "").strip().removeprefix("£").strip()
        if not text:
            raise ValidationError("Enter the contract value")
        if not _POUNDS.match(text.removeprefix("-")):
            raise ValidationError(VALUE_FORMAT_MESSAGE)
        amount = Decimal(text.replace(",", ""))
        # The size first: quantizing a 40-digit number overflows Decimal's precision. Too small
        # or too large is the scheme's rule, checked by the form (ContractRules.value_problem).
        if abs(amount) <= MAX_AMOUNT and amount != amount.quantize(Decimal("0.01")):
            raise ValidationError("The contract value can only include pounds and pence")
        self.amount = amount


class ContractForm(FlaskForm):
    commissioner = SelectField(
        "Commissioner",
        widget=GovSelect(),
        validate_choice=False,
        validators=[DataRequired(CHOOSE_COMMISSIONER_MESSAGE)],
        description="The public-sector body that awarded the contract",
    )
    title = StringField(
        "Contract title",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name("contract title"),
            DataRequired("Enter the contract title"),
            Length(max=300, message="Contract title must be 300 characters or fewer"),
        ],
        description="As it appears on the contract, for example ‘Highways maintenance, north’",
    )
    reference = StringField(
        "Contract reference (optional)",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            no_nul_characters,
            Length(max=100, message="Contract reference must be 100 characters or fewer"),
        ],
        description="The commissioner’s reference, if it has one",
    )
    value = MoneyField(
        "Contract value", description="The total value in pounds, for example 125000"
    )
    start_date = GovDateField(
        "Start date", name_for_errors="the start date", description="For example, 1 4 2026"
    )
    end_date = GovDateField(
        "End date", name_for_errors="the end date", description="For example, 31 3 2028"
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, commissioners=(), rules: ContractRules | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules or ContractRules()
        self.commissioner_ids = {str(c.id) for c in commissioners}
        self.commissioner.choices = [
            SelectChoice("", "Choose a commissioner"),
            *(SelectChoice(str(c.id), c.name) for c in commissioners),
        ]

    def validate_commissioner(self, field):
        # A deactivated (or made-up) commissioner posted by hand is refused like a blank one.
        if field.data not in self.commissioner_ids:
            raise ValidationError(CHOOSE_COMMISSIONER_MESSAGE)

    def validate_start_date(self, field):
        problem = field.data is not None and self.rules.start_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_end_date(self, field):
        if field.data is None:
            return
        problem = self.rules.end_problem(self.start_date.data, field.data, date.today())
        if problem:
            raise ValidationError(problem)

    def validate_value(self, field):
        problem = field.amount is not None and self.rules.value_problem(field.amount)
        if problem:
            raise ValidationError(problem)

    def answers(self) -> dict:
        """What the session keeps between the form and check your answers."""
        return {
            "commissioner": self.commissioner.data,
            "title": self.title.data,
            "reference": self.reference.data or "",
            "value": f"{self.value.amount:f}",
            "start_date": self.start_date.data.isoformat(),
            "end_date": self.end_date.data.isoformat(),
        }


class ContractChangeForm(ContractForm):
    """Changing a recorded contract: the same questions, and the contract's version when the
    page was loaded, so a commissioner's confirmation in between is not silently overwritten."""

    version = VersionField(message="This page is out of date. Open the contract again")


class CommitmentForm(FlaskForm):
    measure = SelectField(
        "Measure",
        widget=GovSelect(),
        validate_choice=False,
        validators=[DataRequired("Select a measure")],
    )
    target_value = AmountField(
        "Target",
        missing="Enter the target you committed to",
        label_in_messages="the target",
        description="In the measure’s unit: pounds, FTE, weeks, hours, a percentage or a number",
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[Length(max=2000, message="Notes must be 2,000 characters or fewer")],
        description="For example, the part of the tender the commitment comes from",
    )
    submit = SubmitField("Add commitment", widget=GovSubmitInput())

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.measures_by_code = {m.code: m for m in measures}
        self.measure.choices = [
            SelectChoice("", "Choose a measure"),
            *(SelectChoice(m.code, f"{m.code}: {m.title} ({m.unit_label})") for m in measures),
        ]

    @property
    def chosen_measure(self):
        return self.measures_by_code.get(self.measure.data or "")

    @property
    def unit(self) -> str | None:
        """Read by AmountField: the target is in the chosen measure's unit."""
        measure = self.chosen_measure
        return measure.unit if measure is not None else None

    def validate_measure(self, field):
        if field.data and self.chosen_measure is None:
            raise ValidationError("Select a measure")
