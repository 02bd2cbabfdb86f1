"""Forms of the organisation's audit page: one source document for a requested figure."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from charter.services.domain.audit_documents import CHOOSE_FIGURE


class AuditDocumentForm(FlaskForm):
    # Choices are the figures the assessor asked about, set by the view.
    figure = RadioField(
        "Which figure is this document for?",
        widget=GovRadioInput(),
        coerce=str,
        validators=[InputRequired(CHOOSE_FIGURE)],
        validate_choice=False,  # checked below, with a message people understand
    )
    # Checked by charter.services.infrastructure.evidence, whose message is shown on this field.
    file = FileField("File", widget=GovFileInput())
    submit = SubmitField("Upload document", widget=GovSubmitInput())

    def set_figures(self, figures) -> None:
        self.figure.choices = [
            (str(f.line.id), f"{f.line.measure.code} {f.line.measure.title}") for f in figures
        ]
        if len(figures) == 1 and not self.figure.data:
            self.figure.data = str(figures[0].line.id)

    def validate_figure(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(CHOOSE_FIGURE)
