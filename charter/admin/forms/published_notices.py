"""The form for a buyer identifier a commissioner publishes notices under."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from charter.form_fields import no_nul_characters, strip_whitespace


class BuyerIdentifierForm(FlaskForm):
    identifier = StringField(
        "Buyer identifier",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the buyer identifier"),
            Length(max=200, message="Buyer identifier must be 200 characters or fewer"),
            no_nul_characters,
        ],
    )
    submit = SubmitField("Add buyer identifier", widget=GovSubmitInput())
