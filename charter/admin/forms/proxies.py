"""The form for a measure's proxy value."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Length, ValidationError

from charter.form_fields import GovDateField, strip_whitespace
from charter.services.domain.units import FigureRefused, parse_figure

# The proxy_values and measures columns are Numeric(12, 2).
PROXY_VALUE_MAX = Decimal("9999999999.99")


def _proxy_value(_form, field):
    """Pounds per unit, read like every other figure (charter.services.domain.units): to the
    penny, 0 or more, within the column; refused with a message, never rounded."""
    field.value = None
    if not (field.data or "").strip():
        return
    try:
        field.value = parse_figure(
            field.data, "GBP", label="the proxy value", example="0.25", maximum=PROXY_VALUE_MAX
        )
    except FigureRefused as refusal:
        raise ValidationError(str(refusal)) from None


class ProxyValueForm(FlaskForm):
    proxy_value = StringField(
        "Proxy value in pounds per unit (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[_proxy_value],
    )
    # A new value takes effect from a date, today or later, so past figures keep theirs.
    effective_from = GovDateField(
        "In force from", name_for_errors="the date the value is in force from"
    )
    reason = StringField(
        "Why it is changing (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[Length(max=500, message="Why it is changing must be 500 characters or fewer")],
    )
    submit = SubmitField("Save proxy value", widget=GovSubmitInput())
