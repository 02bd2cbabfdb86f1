"""The organisation's choice to publish its verified figures.

The same question is asked in three places (when signing, at the annual confirmation if the
organisation has never answered it, and on its own page), so its wording, answers and error
messages are defined once here; ``templates/partials/publish-figures.html`` holds the hint.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired

PUBLISH_QUESTION = "Publish your verified figures on the register?"
PUBLISH_MESSAGE = "Select yes if you agree to publish your verified figures on the register"
PUBLISH_CHOICES = [
    SelectChoice("yes", "Yes, publish our verified figures"),
    SelectChoice("no", "No, show only how many of our targets we met"),
]
PUBLISH_LABELS = {choice.value: choice.label for choice in PUBLISH_CHOICES}


def publish_field() -> RadioField:
    """The yes/no question, required; any other value is the same clear error as none."""
    return RadioField(
        PUBLISH_QUESTION,
        choices=PUBLISH_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message=PUBLISH_MESSAGE,
        validators=[InputRequired(PUBLISH_MESSAGE)],
    )


def as_choice(publishes: bool | None) -> str | None:
    """The radio value for a stored answer (None: not answered yet)."""
    if publishes is None:
        return None
    return "yes" if publishes else "no"


def as_answer(value: str | None) -> bool:
    """The stored answer for a validated radio value."""
    return value == "yes"


class PublishFiguresForm(FlaskForm):
    publish = publish_field()
    submit = SubmitField("Save", widget=GovSubmitInput())
