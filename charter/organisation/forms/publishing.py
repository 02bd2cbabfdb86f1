"""The organisation's choice to publish its verified figures."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired

PUBLISH_CHOICES = [
    SelectChoice("yes", "Yes, publish our verified figures"),
    SelectChoice("no", "No, show only how many of our targets we met"),
]


class PublishFiguresForm(FlaskForm):
    publish = RadioField(
        "Do you agree to publish your verified figures on the public register?",
        choices=PUBLISH_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Select whether to publish your verified figures")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
