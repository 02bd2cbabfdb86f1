"""Form of the administrator's decision on an audit's concerns."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from charter.form_fields import strip_whitespace
from charter.models.duties import ADMIN_ACTIONS

ACTION_CHOICES = {
    "suspend": "Suspend the organisation (its Charter Mark shows as suspended)",
    "revoke": "Revoke the Charter Mark",
    "no_action": "No further action",
}
assert set(ACTION_CHOICES) == set(ADMIN_ACTIONS)


class ReferralDecisionForm(FlaskForm):
    action = RadioField(
        "What do you decide?",
        choices=ACTION_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose what you decide")],
    )
    reason = StringField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Enter the reason"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())
