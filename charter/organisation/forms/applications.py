"""Forms for applying for the Charter Mark, answering an assessor and appealing a refusal."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from charter.form_fields import required_text


class ApplyForm(FlaskForm):
    declaration = BooleanField(
        "The information we have given is accurate",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that the information you have given is accurate")],
    )
    submit = SubmitField("Apply for the Charter Mark", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        "Your answer",
        widget=GovTextArea(),
        validators=[
            required_text("Enter your answer to the assessor's questions"),
            Length(max=5000, message="Your answer must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Send your answer", widget=GovSubmitInput())


class AppealForm(FlaskForm):
    grounds = TextAreaField(
        "Your grounds for appeal",
        widget=GovTextArea(),
        validators=[
            required_text("Enter your grounds for appeal"),
            Length(max=5000, message="Your grounds for appeal must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Lodge appeal", widget=GovSubmitInput())
