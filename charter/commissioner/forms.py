"""Forms of the contract managers' pages, and the shared ones of the answering supplier and the
inviting administrator. Free text refuses NUL characters, which PostgreSQL cannot store."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Email, Length

from charter.form_fields import (
    AmountField,
    GovDateField,
    VersionField,
    no_nul_characters,
    required_text,
    strip_whitespace,
)

STALE_PAGE_MESSAGE = "This page is out of date. Go back to the contract and try again"


class VersionedForm(FlaskForm):
    """A decision on a contract: the contract's version the page showed."""

    version = VersionField(message=STALE_PAGE_MESSAGE)


class ConfirmContractForm(VersionedForm):
    submit = SubmitField("Confirm contract", widget=GovSubmitInput())


def _text(label: str, missing: str, max_length: int = 5000):
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            required_text(missing),
            no_nul_characters,
            Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"),
        ],
    )


class DisputeContractForm(VersionedForm):
    reason = _text("What is wrong with the contract", "Enter what is wrong with the contract")
    submit = SubmitField("Dispute contract", widget=GovSubmitInput())


class EndorsePeriodForm(FlaskForm):
    submit = SubmitField("Endorse these figures", widget=GovSubmitInput())


class QueryFigureForm(FlaskForm):
    comment = _text("Your question", "Enter your question about this figure")
    submit = SubmitField("Send query", widget=GovSubmitInput())


class AnswerQueryForm(FlaskForm):
    response = _text("Your answer", "Enter your answer to the commissioner's question")
    submit = SubmitField("Send answer", widget=GovSubmitInput())


class InviteContractManagerForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        filters=[strip_whitespace],
        validators=[
            required_text("Enter the email address of the contract manager"),
            no_nul_characters,
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A POST button with CSRF protection: accept, cancel, remove."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class RefuseAlternativeForm(FlaskForm):
    reason = _text("Why you are refusing it", "Enter why you are refusing the alternative")
    submit = SubmitField("Refuse alternative", widget=GovSubmitInput())


class ServiceCreditForm(FlaskForm):
    """A service credit: its amount in pounds (exactly as typed: pence at most, never rounded),
    why, and the period of the commitments missed."""

    unit = "GBP"  # read by AmountField
    amount = AmountField(
        "Amount",
        missing="Enter the amount of the service credit",
        label_in_messages="the amount",
        description="In pounds, like 1500 or 1500.50",
    )
    reason = _text("Why you are applying it", "Enter why you are applying the service credit")
    period_start = GovDateField(
        "Start of the period", name_for_errors="the start of the period",
        description="For example, 1 4 2026",
    )  # fmt: skip
    period_end = GovDateField(
        "End of the period", name_for_errors="the end of the period",
        description="For example, 30 6 2026",
    )  # fmt: skip
    submit = SubmitField("Record service credit", widget=GovSubmitInput())
