"""Forms of the administration pages."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, ValidationError

from charter.form_fields import GovDateField, clean_text_filter, strip_whitespace, visible_name
from charter.services.domain.units import FigureRefused, parse_figure
from workflows.lifecycle import STATE_LABELS


class AppointAssessorForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the email address of the person to appoint"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    # Set by the confirmation page: the first POST shows who will be appointed, the second acts.
    confirmed = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RevokeAssessorForm(FlaskForm):
    submit = SubmitField("Remove assessor role", widget=GovSubmitInput())


class OrganisationFilterForm(FlaskForm):
    """Read from the query string, so it carries no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "All statuses"),
            *(SelectChoice(state, label) for state, label in STATE_LABELS.items()),
        ],
        validate_choice=False,
    )


def _org_id_format(_form, field):
    # Imported here so this block stays a plain addition to the module.
    from wtforms.validators import ValidationError

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


APPEAL_DECISIONS = {"uphold": "Uphold the appeal", "dismiss": "Dismiss the appeal"}


class AppealDecisionForm(FlaskForm):
    decision = RadioField(
        "What is your decision?",
        choices=[SelectChoice(value, label) for value, label in APPEAL_DECISIONS.items()],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether to uphold or dismiss the appeal"),
            AnyOf(list(APPEAL_DECISIONS), message="Select whether to uphold or dismiss the appeal"),
        ],
    )
    reason = TextAreaField(
        "Reasons for your decision",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter the reasons for your decision"),
            Length(max=5000, message="Reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())


# --- sanctions on an organisation, and the scheme's proxy values ------------------------------


class SanctionReasonForm(FlaskForm):
    """Suspending an organisation or revoking its mark: the reason goes to its members and
    into the audit trail."""

    reason = StringField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired(message="Enter the reason"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class LiftSuspensionForm(FlaskForm):
    submit = SubmitField("Lift the suspension", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that changes something, posted with its CSRF token (the template names it)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


# The proxy_values and measures columns are Numeric(12, 2).
PROXY_VALUE_MAX = Decimal("9999999999.99")


def _proxy_value(_form, field):
    """Pounds per unit, read like every other figure (charter.services.domain.units): to the
    penny, 0 or more, within the column; refused with a message, never rounded."""
    field.value = None
    if not (field.data or "").strip():
        return
    try:
        field.value = parse_figure(
            field.data, "GBP", label="the proxy value", example="0.25", maximum=PROXY_VALUE_MAX
        )
    except FigureRefused as refusal:
        raise ValidationError(str(refusal)) from None


class ProxyValueForm(FlaskForm):
    proxy_value = StringField(
        "Proxy value in pounds per unit (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[_proxy_value],
    )
    # A new value takes effect from a date, today or later, so past figures keep theirs.
    effective_from = GovDateField(
        "In force from", name_for_errors="the date the value is in force from"
    )
    reason = StringField(
        "Why it is changing (optional)",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[Length(max=500, message="Why it is changing must be 500 characters or fewer")],
    )
    submit = SubmitField("Save proxy value", widget=GovSubmitInput())
