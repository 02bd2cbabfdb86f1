"""Forms for managing an organisation's members."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length

from charter.services.domain.accounts import normalise_email

EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class InviteMemberForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[normalise_email],
        validators=[
            InputRequired("Enter the email address of the person you want to invite"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message=EMAIL_FORMAT_MESSAGE, check_deliverability=False),
        ],
        description="We will send them a link to join. They need an account with this address.",
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class TransferOwnershipForm(FlaskForm):
    new_owner = RadioField(
        "Who should become the owner?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Select who should become the owner")],
    )
    confirm = BooleanField(
        "I understand I will become a contributor",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that you understand you will become a contributor")],
    )
    submit = SubmitField("Transfer ownership", widget=GovSubmitInput())

    def __init__(self, *args, candidates: dict[str, str], **kwargs):
        """``candidates``: the other members, user id (as text) to how they are shown."""
        super().__init__(*args, **kwargs)
        self.new_owner.choices = candidates
        # A new list: the bound field shares its validator list with the class.
        self.new_owner.validators = [
            *self.new_owner.validators,
            AnyOf(list(candidates), message="Select who should become the owner"),
        ]
