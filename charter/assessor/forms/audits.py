"""Forms of the assessor's audit pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from charter.form_fields import strip_whitespace

OUTCOMES = {
    "confirmed": "Confirmed: the source documents support the figures",
    "concerns": "Concerns: refer to an administrator",
}


class DocumentRequestForm(FlaskForm):
    lines = SelectMultipleField(
        "Which verified figures?",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired("Choose at least one verified figure")],
    )
    request_text = StringField(
        "Which source documents do you need?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Say which source documents you need"),
            Length(max=4000, message="The request must be 4,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Ask for the documents", widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        "What did the audit find?",
        choices=OUTCOMES,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose what the audit found")],
    )
    reason = StringField(
        "Reasons",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            Length(max=4000, message="Reasons must be 4,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the outcome", widget=GovSubmitInput())

    def validate_reason(self, field):
        from wtforms.validators import ValidationError

        if self.outcome.data == "concerns" and not field.data:
            raise ValidationError("Say what the concerns are: an administrator will read them")
