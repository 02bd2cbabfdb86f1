"""The question pages of "Sign the charter", one form per page, and the final confirmation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from charter.form_fields import VersionField, clean_text_filter, visible_name
from charter.models.signing import ROUTES
from charter.organisation.forms.publishing import publish_field

ALL_PRINCIPLES_MESSAGE = "Confirm your organisation commits to every principle"
AUTHORITY_MESSAGE = "Confirm you have authority to sign for your organisation"
ROUTE_MESSAGE = "Select how your organisation will meet the charter"
ROUTE_HINTS = {
    "already_delivering": "Show how you are currently delivering social value in line with "
    "the principles.",
    "working_towards": "Commit to meeting the principles to a timetabled plan, and show your "
    "progress against it.",
}
NAME_MAX = ROLE_MAX = 200  # the Signature columns


def principle_element_id(code: str) -> str:
    """The id of a principle's checkbox, so the error summary can link to it."""
    return f"principle-{code}"


class PrinciplesForm(FlaskForm):
    """One checkbox per principle, all sharing the name ``principles``; every one must be ticked.

    The principles come from the scheme, so the view passes them in.
    """

    principles = SelectMultipleField("Principles", validate_choice=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, principles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme_principles = list(principles)
        self.missing: list = []

    def validate_principles(self, field):
        ticked = set(field.data or ())
        self.missing = [p for p in self.scheme_principles if p.code not in ticked]
        if self.missing:
            # The error summary links to the first principle still to be ticked.
            field.id = principle_element_id(self.missing[0].code)
            titles = "; ".join(f"‘{p.title}’" for p in self.missing)
            raise ValidationError(f"{ALL_PRINCIPLES_MESSAGE}. Not yet confirmed: {titles}")

    @property
    def accepted_codes(self) -> list[str]:
        """The ticked codes that are principles of this scheme, in the scheme's order."""
        ticked = set(self.principles.data or ())
        return [p.code for p in self.scheme_principles if p.code in ticked]


class SignatoryForm(FlaskForm):
    signatory_name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=[
            visible_name(),
            DataRequired("Enter the full name of the person signing"),
            Length(max=NAME_MAX, message=f"Full name must be {NAME_MAX} characters or fewer"),
        ],
    )
    signatory_role = StringField(
        "Role or job title",
        widget=GovTextInput(),
        filters=[clean_text_filter],
        description="For example, Managing Director or Chair of Trustees",
        validators=[
            visible_name("role or job title"),
            DataRequired("Enter the role or job title of the person signing"),
            Length(
                max=ROLE_MAX, message=f"Role or job title must be {ROLE_MAX} characters or fewer"
            ),
        ],
    )
    # The label names the organisation, so the view sets it.
    has_authority = BooleanField(
        "I confirm I have the authority to sign on behalf of my organisation",
        widget=GovCheckboxInput(),
        validators=[DataRequired(AUTHORITY_MESSAGE)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_authority.label.text = (
            f"I confirm I have the authority to sign on behalf of {organisation_name}"
        )


class RouteForm(FlaskForm):
    route = RadioField(
        "How will your organisation meet the charter?",
        widget=GovRadioInput(),
        choices=[SelectChoice(value, label) for value, label in ROUTES.items()],
        invalid_choice_message=ROUTE_MESSAGE,
        validators=[InputRequired(ROUTE_MESSAGE)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class PublishingForm(FlaskForm):
    """Whether to publish the verified figures: the same question as the publish-figures page."""

    publish = publish_field()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ConfirmSigningForm(FlaskForm):
    """The "Sign the charter" button, carrying the organisation's version as the page showed it."""

    version = VersionField()
    submit = SubmitField("Sign the charter", widget=GovSubmitInput())
