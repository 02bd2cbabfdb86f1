"""The form for an organisation's Public Procurement Organisation Number (issue 22). The format
is the service's to check (charter.services.domain.ppon): the form only asks for something."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired

from charter.form_fields import no_nul_characters, strip_whitespace


class PponForm(FlaskForm):
    ppon = StringField(
        "Public Procurement Organisation Number (PPON)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter your Public Procurement Organisation Number"),
            no_nul_characters,
        ],
    )
    submit = SubmitField("Save PPON", widget=GovSubmitInput())
