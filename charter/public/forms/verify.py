"""The form that checks a certificate number."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from charter.services.domain import marks

CERTIFICATE_HINT = "Enter a certificate number, like CM-7K3F9QX2"


def _certificate_format(_form, field):
    field.data = marks.normalise_certificate_number(field.data)
    if not marks.is_certificate_number(field.data):
        raise ValidationError("Enter a certificate number in the correct format, like CM-7K3F9QX2")


class VerificationForm(FlaskForm):
    """Sent by GET, so the result is a plain link and needs no CSRF token."""

    class Meta:
        csrf = False

    certificate_number = StringField(
        "Certificate number",
        widget=GovTextInput(),
        validators=[DataRequired(message=CERTIFICATE_HINT), _certificate_format],
    )
    submit = SubmitField("Check certificate", widget=GovSubmitInput())
