"""Form pieces shared across blueprints: GOV.UK date and amount fields, text clean-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, StringField
from wtforms.validators import ValidationError


def strip_whitespace(value):
    """A WTForms filter: surrounding spaces are not part of an answer."""
    return value.strip() if isinstance(value, str) else value


def required_text(message: str):
    """A validator for free text: blank or only spaces is missing."""

    def check(_form, field):
        field.data = (field.data or "").strip()
        if not field.data:
            raise ValidationError(message)

    return check


MAX_AMOUNT = Decimal("999999999999.99")  # the Numeric(14, 2) columns


class GovDateField(DateField):
    """Day, month and year boxes, with GOV.UK messages for missing or impossible dates."""

    def __init__(self, label, *, name_for_errors: str, **kwargs):
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.name_for_errors = name_for_errors

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            # A post without the three boxes (a crafted request): the widget would fail to
            # unpack them when showing the error, so show empty boxes instead.
            self.raw_data = None
        if not valuelist:
            return
        if len(valuelist) != 3:
            self.data = None
            raise ValueError(f"Enter {self.name_for_errors}")
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
