"""The assessor's judgements and decisions on a Charter Mark application."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from charter.form_fields import VersionField, strip_whitespace

CONFIRM = "confirm"
SEND_BACK = "send_back"
SEND_BACK_MESSAGE = "Say why you are sending the award back"
STALE_PAGE_MESSAGE = "This page is out of date. Open the application again"


class JudgementForm(FlaskForm):
    """One measure's verdict; made with ``prefix=f"measure-{id}"`` so each measure has its own."""

    verdict = RadioField(
        "Is the target met?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("met", "Met"),
            SelectChoice("partly_met", "Partly met"),
            SelectChoice("not_met", "Not met"),
        ],
        validators=[InputRequired("Select whether the target is met, partly met or not met")],
    )
    comment = TextAreaField(
        "Your reasons",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Explain your judgement"),
            Length(max=5000, message="Your reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save judgement", widget=GovSubmitInput())


class InformationRequestForm(FlaskForm):
    version = VersionField(message=STALE_PAGE_MESSAGE)
    questions = TextAreaField(
        "What do you need to know?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="The organisation sees your questions and answers them before you decide.",
        validators=[
            DataRequired("Enter your questions for the organisation"),
            Length(max=5000, message="Your questions must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Ask for more information", widget=GovSubmitInput())


class RefusalForm(FlaskForm):
    version = VersionField(message=STALE_PAGE_MESSAGE)
    reasons = TextAreaField(
        "Why are you refusing the Charter Mark?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="The organisation sees your reasons. They may appeal or apply again later.",
        validators=[
            DataRequired("Give the reasons for refusing the Charter Mark"),
            Length(max=5000, message="Your reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Refuse the Charter Mark", widget=GovSubmitInput())


class AwardForm(FlaskForm):
    version = VersionField(message=STALE_PAGE_MESSAGE)
    rationale = TextAreaField(
        "Why are you awarding the Charter Mark?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Your rationale is recorded and shown to the organisation.",
        validators=[
            DataRequired("Give the rationale for the award"),
            Length(max=5000, message="Your rationale must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Award the Charter Mark", widget=GovSubmitInput())


class ModerationForm(FlaskForm):
    version = VersionField(message=STALE_PAGE_MESSAGE)
    decision = RadioField(
        "Do you confirm the award?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(CONFIRM, "Confirm the award"),
            SelectChoice(SEND_BACK, "Send it back to be assessed again"),
        ],
        validators=[InputRequired("Select whether to confirm the award or send it back")],
    )
    reasons = TextAreaField(
        "Reasons",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Required when you send the award back. The first assessor sees them.",
        validators=[Length(max=5000, message="Your reasons must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Send moderation decision", widget=GovSubmitInput())

    def validate_reasons(self, field):
        if self.decision.data == SEND_BACK and not field.data:
            raise ValidationError(SEND_BACK_MESSAGE)
