"""The organisation registration form. Choices for sector and district come from the scheme."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from charter.form_fields import clean_text_filter, strip_whitespace, visible_name
from charter.models.organisation import ORGANISATION_SIZES, ORGANISATION_TYPES
from charter.services.domain.identifiers import (
    IDENTIFIER_SCHEMES,
    NO_IDENTIFIER,
    InvalidIdentifier,
    normalise_identifier,
    normalise_postcode,
)
from charter.web_addresses import split_web_address

# One text field per identifier list, each revealed under its own radio.
IDENTIFIER_FIELDS = {
    "GB-COH": "companies_house_number",
    "GB-CHC": "charity_number",
    "GB-SC": "scottish_charity_number",
    "GB-MPR": "mutuals_number",
    "GB-LAE": "local_authority_code",
}
IDENTIFIER_CHOICES = {
    **{code: scheme.label for code, scheme in IDENTIFIER_SCHEMES.items()},
    NO_IDENTIFIER: "It does not have any of these",
}
WEBSITE_MESSAGE = "Enter a website address in the correct format, like https://www.example.co.uk"
# The answers kept in the session between the form and "Check your answers".
ANSWER_KEYS = (
    "name",
    "organisation_type",
    "size",
    "sector",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "district",
    "website",
    "identifier_scheme",
    "identifier",
    "no_identifier_reason",
)


def _text(
    label: str,
    required: str | None,
    max_length: int,
    *,
    description: str = "",
    is_name: bool = False,
):
    # DataRequired, not InputRequired: an answer of only spaces is cleaned to nothing.
    validators = [DataRequired(required)] if required else [Optional()]
    if is_name:
        validators.insert(0, visible_name())
    validators.append(
        Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")
    )
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[clean_text_filter],
        validators=validators,
        description=description,
    )


def _identifier_field(code: str) -> StringField:
    return StringField(
        IDENTIFIER_SCHEMES[code].label,
        widget=GovTextInput(),
        filters=[strip_whitespace],
        description=IDENTIFIER_SCHEMES[code].hint,
    )


class RegistrationForm(FlaskForm):
    name = _text("Organisation name", "Enter the name of your organisation", 200, is_name=True)
    organisation_type = RadioField(
        "What type of organisation is it?",
        choices=ORGANISATION_TYPES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select the type of organisation"),
            AnyOf(ORGANISATION_TYPES, message="Select the type of organisation"),
        ],
    )
    size = RadioField(
        "How many people does it employ?",
        choices=ORGANISATION_SIZES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select the size of your organisation"),
            AnyOf(ORGANISATION_SIZES, message="Select the size of your organisation"),
        ],
    )
    sector = SelectField(
        "Sector",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Select a sector")],
    )
    address_line_1 = _text(
        "Address line 1", "Enter address line 1, typically the building and street", 200
    )
    address_line_2 = _text("Address line 2 (optional)", None, 200)
    town = _text("Town or city", "Enter town or city", 100)
    # No length check: validate_postcode says what a postcode looks like, whatever was typed.
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[InputRequired("Enter postcode")],
    )
    district = SelectField(
        "District",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired("Select the district where your organisation is based")],
        description="Where your organisation is based, or its main base in the area",
    )
    website = _text(
        "Website (optional)", None, 300, description="For example, https://www.example.co.uk"
    )
    identifier_scheme = RadioField(
        "How is your organisation registered?",
        choices=IDENTIFIER_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select how your organisation is registered"),
            AnyOf(IDENTIFIER_CHOICES, message="Select how your organisation is registered"),
        ],
        description="We use this number to make sure each organisation is registered only once.",
    )
    companies_house_number = _identifier_field("GB-COH")
    charity_number = _identifier_field("GB-CHC")
    scottish_charity_number = _identifier_field("GB-SC")
    mutuals_number = _identifier_field("GB-MPR")
    local_authority_code = _identifier_field("GB-LAE")
    no_identifier_reason = TextAreaField(
        "Why does your organisation not have one of these numbers?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[Length(max=1000, message="Reason must be 1000 characters or fewer")],
        description="For example, it is a sole trader or a partnership",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def __init__(self, *args, sectors: list[str], districts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = [SelectChoice("", "Choose a sector"), *map(SelectChoice, sectors)]
        self.district.choices = [
            SelectChoice("", "Choose a district"),
            *map(SelectChoice, districts),
        ]
        # New lists: the bound fields share their validator lists with the class.
        self.sector.validators = [
            *self.sector.validators,
            AnyOf(sectors, message="Select a sector"),
        ]
        self.district.validators = [
            *self.district.validators,
            AnyOf(districts, message="Select the district where your organisation is based"),
        ]
        # Set by validate(): the chosen list's identifier, normalised.
        self.identifier: str | None = None

    def validate_postcode(self, field):
        postcode = normalise_postcode(field.data)
        if postcode is None:
            raise ValidationError("Enter a real postcode, like SY2 6ND")
        field.data = postcode

    def validate_website(self, field):
        if not field.data:
            return
        address = field.data
        if "://" not in address:
            # People type "www.example.org": complete it rather than refuse it (issue 11). A
            # refused address is shown back as typed, not with the https:// added.
            address = f"https://{address}"
        parts = split_web_address(address)
        host = (parts and parts.hostname) or ""
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or "." not in host
            or " " in address
            or "@" in parts.netloc  # no user:password@ in a public link
        ):
            raise ValidationError(WEBSITE_MESSAGE)
        field.data = address

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = self.identifier_scheme.data
        if chosen in IDENTIFIER_FIELDS:
            field = self[IDENTIFIER_FIELDS[chosen]]
            try:
                self.identifier = normalise_identifier(chosen, field.data)
            except InvalidIdentifier as exc:
                field.errors = [*field.errors, str(exc)]
                valid = False
        elif chosen == NO_IDENTIFIER and not self.no_identifier_reason.data:
            self.no_identifier_reason.errors = [
                *self.no_identifier_reason.errors,
                "Enter why your organisation does not have one of these numbers",
            ]
            valid = False
        return valid

    def identifier_field(self):
        """The text field of the chosen identifier list, or None."""
        name = IDENTIFIER_FIELDS.get(self.identifier_scheme.data or "")
        return self[name] if name else None

    def answers(self) -> dict:
        """The validated answers, as kept in the session."""
        scheme = self.identifier_scheme.data
        return {
            "name": self.name.data,
            "organisation_type": self.organisation_type.data,
            "size": self.size.data,
            "sector": self.sector.data,
            "address_line_1": self.address_line_1.data,
            "address_line_2": self.address_line_2.data or "",
            "town": self.town.data,
            "postcode": self.postcode.data,
            "district": self.district.data,
            "website": self.website.data or "",
            "identifier_scheme": scheme,
            "identifier": self.identifier if scheme != NO_IDENTIFIER else "",
            "no_identifier_reason": (
                self.no_identifier_reason.data if scheme == NO_IDENTIFIER else ""
            ),
        }


def form_data_from_answers(answers: dict) -> dict:
    """The form's initial data for answers kept in the session (after a "Change" link)."""
    data = {key: answers.get(key) for key in ANSWER_KEYS if key != "identifier"}
    field = IDENTIFIER_FIELDS.get(answers.get("identifier_scheme") or "")
    if field:
        data[field] = answers.get("identifier")
    return data
