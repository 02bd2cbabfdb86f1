"""Forms for a monitoring return: a measure's figure and narrative, evidence, sending it."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from charter.form_fields import (
    AmountField,
    GovDateField,
    VersionField,
    clean_text_filter,
    required_text,
    strip_whitespace,
    visible_name,
)

NARRATIVE_MISSING = "Enter what you did in the period"
RESPONSE_MISSING = "Enter your response to the assessor"


class LineForm(FlaskForm):
    actual_value = AmountField(
        "Actual figure",
        missing="Enter the actual figure for the period",
        label_in_messages="the actual figure",
    )
    narrative = TextAreaField(
        "What you did",
        widget=GovTextArea(),
        validators=[
            required_text(NARRATIVE_MISSING),
            Length(max=5000, message="What you did must be 5,000 characters or fewer"),
        ],
    )
    response = TextAreaField(
        "Your response to the assessor",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Your response must be 5,000 characters or fewer")],
    )
    # Shown when the saved figure is flagged as out of line (plausibility): why it is right.
    flag_explanation = TextAreaField(
        "Why is this figure right?",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Your explanation must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def __init__(self, *args, unit: str | None = None, is_queried: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit  # the measure's unit code, read by AmountField
        self.is_queried = is_queried

    def validate_response(self, field):
        field.data = (field.data or "").strip()
        if self.is_queried and not field.data:
            raise ValidationError(RESPONSE_MISSING)


class FigureChoice(SelectField):
    """Which contract's figure a piece of evidence backs, for a per-contract measure; blank is
    the measure as a whole. Choices are set by the view from the line's rows."""

    def __init__(self, **kwargs):
        super().__init__(
            "Evidence for", widget=GovSelect(), choices=[SelectChoice("", "")], **kwargs
        )

    def pre_validate(self, form):  # noqa: ARG002
        if (self.data or "") not in {choice.value for choice in self.choices}:
            raise ValidationError("Select the contract this evidence is for, from the list")


def set_figure_choices(form, rows) -> None:
    form.figure.choices = [SelectChoice("", "The measure as a whole")] + [
        SelectChoice(row.key, row.label) for row in rows
    ]


class UploadForm(FlaskForm):
    # Checked by charter.services.infrastructure.evidence, whose message is shown on this field.
    file = FileField("Upload a file", widget=GovFileInput())
    figure = FigureChoice()
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class LinkForm(FlaskForm):
    url = StringField(
        "Web address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter the web address of the evidence"),
            Length(max=500, message="The web address must be 500 characters or fewer"),
            Regexp(
                r"^https?://[^\s/$.?#][^\s]*$",
                message="Enter a web address in the correct format, like https://www.example.com",
            ),
        ],
    )
    description = StringField(
        "Description",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name("description"),
            required_text("Enter a description of the evidence"),
            Length(max=300, message="The description must be 300 characters or fewer"),
        ],
    )
    figure = FigureChoice()
    submit = SubmitField("Add link", widget=GovSubmitInput())


class VersionedButtonForm(FlaskForm):
    """Sending the return: the version shown, so a stale page cannot send."""

    version = VersionField(message="This page is out of date. Open the return again")
    submit = SubmitField("Send return", widget=GovSubmitInput())


class ContractFiguresForm(LineForm):
    """A per-contract measure: one figure per contract active in the period (required: 0 if
    none), an optional "not on a listed contract" figure, and the narrative. Built for the
    line's rows with ``for_rows``; the total is worked out, never typed."""

    actual_value = None  # the total is derived from the figures

    @classmethod
    def for_rows(cls, rows, parts: list[dict] | None = None, **kwargs) -> ContractFiguresForm:
        """``parts``: a pair's two figures, asked for each row, each in its part's unit."""
        specs = [("figure", parts[0]), ("second", parts[1])] if parts else [("figure", None)]
        fields = {}
        for row in rows:
            for prefix, part in specs:
                named = f" ‘{part['label']}’" if part else ""
                suffix = f": {part['label']}" if part else ""
                unit = part["unit"] if part else None
                if row.contract is None:
                    fields[f"{prefix}_{row.key}"] = AmountField(
                        "Not on a listed contract" + suffix,
                        missing="",
                        label_in_messages=f"the figure{named} not on a listed contract",
                        optional=True,
                        unit=unit,
                    )
                else:
                    title = row.contract.title
                    fields[f"{prefix}_{row.key}"] = AmountField(
                        title + suffix,
                        missing=f"Enter the figure{named} for {title}, or 0 if there was none",
                        label_in_messages=f"the figure{named} for {title}",
                        unit=unit,
                    )
        form_class = type("ContractFiguresFormForLine", (cls,), fields)
        form = form_class(**kwargs)
        form.rows = rows
        form.is_pair = parts is not None
        return form

    def values(self) -> dict:
        return {row.key: self[f"figure_{row.key}"].amount for row in self.rows}

    def second_values(self) -> dict | None:
        if not self.is_pair:
            return None
        return {row.key: self[f"second_{row.key}"].amount for row in self.rows}

    def figure_fields(self):
        return [(row, self[f"figure_{row.key}"]) for row in self.rows]

    def second_fields(self):
        return [(row, self[f"second_{row.key}"]) for row in self.rows] if self.is_pair else []


def _name_part(field, part: dict) -> None:
    """A pair's figure field labelled, checked and named in messages by its part."""
    field.label.text = part["label"]
    field.own_unit = part["unit"]
    field.missing = f"Enter the figure for ‘{part['label']}’"
    field.label_in_messages = f"the figure for ‘{part['label']}’"


class PairLineForm(LineForm):
    """A pair reported for the whole organisation: its two figures, each in its part's unit and
    labelled by it (Measure.parts)."""

    second_value = AmountField("Second figure", missing="Enter the second figure")

    def __init__(self, *args, parts: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        _name_part(self.actual_value, parts[0])
        _name_part(self.second_value, parts[1])


ACHIEVED_CHOICES = [SelectChoice("yes", "Yes"), SelectChoice("no", "No, not yet")]
ACHIEVED_MISSING = "Select yes if it was achieved, or no if not yet"
ACHIEVED_ON_MISSING = "Enter the date it was achieved"


class OptionalDateField(GovDateField):
    """A date that may be left blank (``data`` None); a part-filled or impossible one is still
    refused with GovDateField's messages."""

    def process_formdata(self, valuelist):
        if valuelist and not any(v.strip() for v in valuelist):
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):  # noqa: ARG002
        return


class AchievementForm(LineForm):
    """An achievement: yes or no, and the date it was achieved when yes. Its evidence is a file
    on the line (the upload form on the same page); charter.services.domain.returns refuses a
    yes without one."""

    actual_value = None
    achieved = RadioField(
        "Has it been achieved?",
        choices=ACHIEVED_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(ACHIEVED_MISSING)],
    )
    achieved_on = OptionalDateField(
        "Date it was achieved",
        name_for_errors="the date it was achieved",
        description="For example, 27 3 2026",
    )

    def validate_achieved(self, field):
        if field.data not in {"yes", "no"}:
            raise ValidationError(ACHIEVED_MISSING)

    def validate_achieved_on(self, field):
        if field.errors:
            return
        if self.achieved.data == "yes" and field.data is None:
            raise ValidationError(ACHIEVED_ON_MISSING)
        if self.achieved.data == "no" and field.data is not None:
            raise ValidationError("Leave the date empty if it has not been achieved yet")
        if field.data is not None and field.data > date.today():
            raise ValidationError("The date it was achieved must be today or in the past")
