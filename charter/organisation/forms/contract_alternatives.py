"""The supplier's proposal of an alternative commitment: another measure and target, and why
the original cannot be delivered (charter.services.domain.commitment_alternatives)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from charter.form_fields import no_nul_characters, required_text, strip_whitespace
from charter.organisation.forms.contracts import CommitmentForm


class AlternativeForm(CommitmentForm):
    notes = None  # the reason takes its place
    reason = TextAreaField(
        "Why you cannot deliver the original commitment",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            required_text("Enter why you cannot deliver the original commitment"),
            no_nul_characters,
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Propose alternative", widget=GovSubmitInput())
