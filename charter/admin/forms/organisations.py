"""Forms of the list of organisations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectChoice, SelectField

from workflows.lifecycle import STAGE_LABELS


class OrganisationFilterForm(FlaskForm):
    """Read from the query string, so it carries no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "All statuses"),
            *(SelectChoice(state, label) for state, label in STAGE_LABELS.items()),
        ],
        validate_choice=False,
    )
