"""Form pieces shared across blueprints: GOV.UK date and amount fields, the version a page
showed, text clean-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import StopValidation, ValidationError

from charter.services.domain.text import clean_text, has_visible_name, name_message
from charter.services.domain.units import FIGURE_COLUMN_MAX, FigureRefused, parse_figure
from charter.services.domain.versions import parse_version


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


MAX_AMOUNT = FIGURE_COLUMN_MAX  # the Numeric(14, 2) columns


class GovDateField(DateField):
    """Day, month and year boxes, with GOV.UK messages for missing or impossible dates."""

    PARTS = ("day", "month", "year")

    def __init__(self, label, *, name_for_errors: str, **kwargs):
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.name_for_errors = name_for_errors
        # The box an error message should take people to: the first one left empty, else the
        # day (GOV.UK: link to the first field with the problem, not the fieldset).
        self.error_part = "day"

    @property
    def error_target_id(self) -> str:
        """The id of the input the error summary links to (the widget names them name-day...)."""
        return f"{self.name}-{self.error_part}"

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
            self.error_part = next(p for p, v in zip(self.PARTS, parts, strict=False) if not v)
            raise ValueError(
                f"{self.name_for_errors.capitalize()} must include a day, month and year"
            )
        if not all(part.isascii() and part.isdigit() for part in parts) or len(parts[2]) != 4:
            # A year of 99999999999 overflows date(); "１" or "٣" are digits to int() but not
            # to a reader: ask for the usual form.
            raise ValueError(
                f"{self.name_for_errors.capitalize()} must be a real date, "
                "with a 4-digit year, like 27 3 2026"
            )
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except (ValueError, OverflowError):
            raise ValueError(f"{self.name_for_errors.capitalize()} must be a real date") from None

    def pre_validate(self, form):  # noqa: ARG002
        if self.data is None and not self.process_errors:
            raise ValidationError(f"Enter {self.name_for_errors}")


class AmountField(StringField):
    """A figure in the form's unit (``form.unit``, a measure's unit code), kept as a Decimal in
    ``amount`` exactly as typed: charter.services.domain.units parses it strictly (the unit's
    sign, precision and range; nothing rounded). ``optional`` fields may be left blank
    (``amount`` is then None). ``label_in_messages`` names the figure in error messages.
    ``unit`` gives the field a unit of its own (a pair's second figure), instead of the form's."""

    def __init__(
        self,
        label,
        *,
        missing: str,
        optional: bool = False,
        label_in_messages: str = "",
        unit: str | None = None,
        **kwargs,
    ):
        super().__init__(label, widget=GovTextInput(), **kwargs)
        self.own_unit = unit
        self.missing = missing
        self.optional = optional
        self.label_in_messages = label_in_messages
        self.amount: Decimal | None = None

    def pre_validate(self, form):
        self.amount = None
        if not (self.data or "").strip():
            if self.optional:
                return
            raise ValidationError(self.missing)
        label = self.label_in_messages or self.label.text.lower()
        try:
            unit = self.own_unit or getattr(form, "unit", None)
            self.amount = parse_figure(self.data, unit, label=label)
        except FigureRefused as refusal:
            raise ValidationError(str(refusal)) from None


# The largest id an Integer primary key can hold on PostgreSQL: larger ids are not found.

STALE_PAGE_MESSAGE = "This page is out of date. Go back, open it again and try again"


class VersionField(HiddenField):
    """The version of a :class:`charter.models.base.Versioned` row the page showed, posted back
    hidden: the one way a form carries a version (issue 19). Set it when showing the page
    (``form.version.data = row.version_id``, or ``Form(version=row.version_id)``); after
    validation ``data`` is the version as an int, for
    :func:`charter.services.domain.versions.check_version`, which refuses an old one (409).

    A version missing, blank or not a whole number (``"abc"``, ``"-1"``, too large for the
    column) is a form error, ``message`` (say where to go back to), never "nothing to check".
    ``0`` is well formed and passes here; no row is at version 0, so the check refuses it."""

    def __init__(self, label=None, *, message: str = STALE_PAGE_MESSAGE, **kwargs):
        super().__init__(label, **kwargs)
        self.message = message

    def process_data(self, value):
        self.data = parse_version(value)

    def process_formdata(self, valuelist):
        self.data = parse_version(valuelist[0] if valuelist else None)

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)

    def pre_validate(self, form):  # noqa: ARG002
        if self.data is None:
            raise StopValidation(self.message)


def no_nul_characters(_form, field):
    """A validator: PostgreSQL text cannot hold NUL, and no one types one on purpose."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(f"{field.label.text} must not contain unusual characters")


def clean_text_filter(value):
    """A WTForms filter for names and titles: see charter.services.domain.text."""
    return clean_text(value)


def visible_name(noun: str = "name"):
    """A validator for names and titles, placed first: at least two letters or digits once
    invisible characters are gone. Something typed that cleans away to nothing gets this
    message, not "Enter ..."; a blank answer is left to the field's own required check."""

    def check(_form, field):
        typed = field.raw_data[0] if field.raw_data else ""
        if isinstance(typed, str) and typed.strip() and not has_visible_name(field.data):
            raise StopValidation(name_message(noun))

    return check
