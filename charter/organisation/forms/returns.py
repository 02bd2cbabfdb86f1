"""Forms for a monitoring return: a measure's figure and narrative, evidence, sending it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from charter.form_fields import (
    AmountField,
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
    def for_rows(cls, rows, **kwargs) -> ContractFiguresForm:
        fields = {}
        for row in rows:
            if row.contract is None:
                fields[f"figure_{row.key}"] = AmountField(
                    "Not on a listed contract",
                    missing="",
                    label_in_messages="the figure not on a listed contract",
                    optional=True,
                )
            else:
                title = row.contract.title
                fields[f"figure_{row.key}"] = AmountField(
                    title,
                    missing=f"Enter the figure for {title}, or 0 if there was none",
                    label_in_messages=f"the figure for {title}",
                )
        form_class = type("ContractFiguresFormForLine", (cls,), fields)
        form = form_class(**kwargs)
        form.rows = rows
        return form

    def values(self) -> dict:
        return {row.key: self[f"figure_{row.key}"].amount for row in self.rows}

    def figure_fields(self):
        return [(row, self[f"figure_{row.key}"]) for row in self.rows]
