"""Forms for a monitoring return: a measure's figure and narrative, evidence, sending it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from charter.form_fields import AmountField, required_text, strip_whitespace

NARRATIVE_MISSING = "Enter what you did in the period"
RESPONSE_MISSING = "Enter your response to the assessor"


class LineForm(FlaskForm):
    actual_value = AmountField(
        "Actual figure",
        missing="Enter the actual figure for the period",
        not_number="Enter the actual figure as a number, like 1200",
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
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def __init__(self, *args, is_percent: bool = False, is_queried: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_percent = is_percent
        self.is_queried = is_queried

    def validate_response(self, field):
        field.data = (field.data or "").strip()
        if self.is_queried and not field.data:
            raise ValidationError(RESPONSE_MISSING)


class UploadForm(FlaskForm):
    # Checked by charter.services.infrastructure.evidence, whose message is shown on this field.
    file = FileField("Upload a file", widget=GovFileInput())
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
        validators=[
            required_text("Enter a description of the evidence"),
            Length(max=300, message="The description must be 300 characters or fewer"),
        ],
    )
    submit = SubmitField("Add link", widget=GovSubmitInput())


class VersionedButtonForm(FlaskForm):
    """Sending the return: the version shown, so a stale page cannot send."""

    version = HiddenField()
    submit = SubmitField("Send return", widget=GovSubmitInput())
