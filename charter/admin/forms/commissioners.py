"""Forms for keeping the list of commissioners."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from charter.form_fields import clean_text_filter, strip_whitespace, visible_name


def _org_id_format(_form, field):
    # Imported here so this block stays a plain addition to the module.

    from charter.services.domain.contracts import normalise_org_id
    from charter.services.domain.identifiers import InvalidIdentifier

    try:
        field.normalised = normalise_org_id(field.data)
    except InvalidIdentifier as error:
        field.normalised = None
        raise ValidationError(str(error)) from None


class CommissionerForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name(),
            DataRequired(message="Enter the name of the commissioner"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
        description="As organisations will know it, for example ‘Shropshire Council’",
    )
    org_id = StringField(
        "Org-id (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            Length(max=45, message="Org-id must be 45 characters or fewer"),
            _org_id_format,
        ],
        description="The body’s identifier from org-id.guide, like GB-LAE-SHR or GB-NHS-RXW",
    )
    submit = SubmitField("Save commissioner", widget=GovSubmitInput())


class CommissionerStatusForm(FlaskForm):
    """The deactivate and reactivate buttons."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
