"""The minimum standards declaration and the self-assessment forms.

The self-assessment's questions are the scheme's, so its form is built for them: one required
radio question per question (``q1``, ``q2``...: the scheme's codes are the council's, not
field names), each answer's value its position, and the consent to publish. A missing answer
and a value that is not one of the answers get the same clear message; nothing is saved.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField
from wtforms.validators import DataRequired, InputRequired

PUBLISH_MESSAGE = "Select yes if you agree to publish the result on the register"


class DeclarationForm(FlaskForm):
    declare = BooleanField(
        "I declare that the organisation meets each of these minimum standards",
        widget=GovCheckboxInput(),
        validators=[
            DataRequired("Confirm that the organisation meets each of the minimum standards")
        ],
    )
    submit = SubmitField("Make the declaration", widget=GovSubmitInput())


def field_name(number: int) -> str:
    return f"q{number}"


def self_assessment_form(definition: dict, formdata=None) -> FlaskForm:
    """A form asking every question of ``definition`` and whether to publish the result."""

    class SelfAssessmentForm(FlaskForm):
        pass

    for number, question in enumerate(definition["questions"], start=1):
        message = f"Select an answer to question {number}"
        setattr(
            SelfAssessmentForm,
            field_name(number),
            RadioField(
                f"{number}. {question['text']}",
                choices=[
                    SelectChoice(str(i), a["text"]) for i, a in enumerate(question["answers"])
                ],
                widget=GovRadioInput(),
                invalid_choice_message=message,
                validators=[InputRequired(message)],
            ),
        )
    SelfAssessmentForm.publish = RadioField(
        "Publish this result on the register?",
        choices=[
            SelectChoice("yes", "Yes, show the level and the date on our page of the register"),
            SelectChoice("no", "No, keep the result to ourselves"),
        ],
        widget=GovRadioInput(),
        invalid_choice_message=PUBLISH_MESSAGE,
        validators=[InputRequired(PUBLISH_MESSAGE)],
    )
    SelfAssessmentForm.submit = SubmitField("Save the self-assessment", widget=GovSubmitInput())
    return SelfAssessmentForm(formdata=formdata)


def chosen_answers(definition: dict, form: FlaskForm) -> dict[str, str]:
    """{question code: answer text} from a validated form."""
    return {
        question["code"]: question["answers"][int(form[field_name(number)].data)]["text"]
        for number, question in enumerate(definition["questions"], start=1)
    }
