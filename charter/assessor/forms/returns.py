"""The assessor's decision on a monitoring return, and its checked figures."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from charter.form_fields import VersionField

ACCEPTED = "accepted"
QUERIED = "queried"
QUERY_COMMENT_MESSAGE = "Say what is missing or wrong"


def _query_needs_comment(decision_name: str):
    def check(form, field):
        field.data = (field.data or "").strip()
        if form[decision_name].data == QUERIED and not field.data:
            raise ValidationError(QUERY_COMMENT_MESSAGE)

    return check


class ReturnDecisionForm(FlaskForm):
    """One accept-or-query choice and a comment per line; fields are added by ``for_lines``."""

    version = VersionField(message="This page is out of date. Open the return again")
    submit = SubmitField("Send decision", widget=GovSubmitInput())

    @classmethod
    def for_lines(cls, lines, **kwargs) -> ReturnDecisionForm:
        attributes = {}
        for line in lines:
            code = line.measure.code
            attributes[f"decision_{line.id}"] = RadioField(
                f"Your decision on {code}",
                widget=GovRadioInput(),
                choices=[
                    SelectChoice(ACCEPTED, "Accept: the evidence supports the figure"),
                    SelectChoice(QUERIED, "Query: ask the organisation to fix something"),
                ],
                validators=[InputRequired(f"Select whether you accept or query {code}")],
            )
            attributes[f"comment_{line.id}"] = TextAreaField(
                f"Comment on {code}",
                widget=GovTextArea(),
                validators=[
                    _query_needs_comment(f"decision_{line.id}"),
                    Length(max=5000, message="Comments must be 5,000 characters or fewer"),
                ],
                description="Required when you query the measure. The organisation sees it.",
            )
        form_class = type("LineDecisionForm", (cls,), attributes)
        form = form_class(**kwargs)
        form.line_ids = [line.id for line in lines]
        return form

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {
            line_id: (self[f"decision_{line_id}"].data, self[f"comment_{line_id}"].data or "")
            for line_id in self.line_ids
        }


class FigureCheckedForm(FlaskForm):
    """The assessor has checked a figure flagged as out of line against its evidence."""

    submit = SubmitField("I have checked this figure", widget=GovSubmitInput())
