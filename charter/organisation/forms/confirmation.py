"""The annual confirmation: the owner confirms the commitment and corrects changed details.
The detail fields and their checks are the registration form's own; the question on publishing
the verified figures is the publish-figures page's own, asked only until it has been answered
(the view removes it otherwise)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from charter.organisation.forms.publishing import publish_field
from charter.organisation.forms.registration import RegistrationForm

DETAIL_FIELDS = ("size", "address_line_1", "address_line_2", "town", "postcode", "website")


class ConfirmationForm(FlaskForm):
    size = RegistrationForm.size
    address_line_1 = RegistrationForm.address_line_1
    address_line_2 = RegistrationForm.address_line_2
    town = RegistrationForm.town
    postcode = RegistrationForm.postcode
    website = RegistrationForm.website
    publish = publish_field()
    confirm = BooleanField(
        "I confirm that the organisation still commits to the charter's principles",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that the organisation still commits to the principles")],
    )
    submit = SubmitField("Confirm the commitment", widget=GovSubmitInput())

    validate_postcode = RegistrationForm.validate_postcode
    validate_website = RegistrationForm.validate_website
