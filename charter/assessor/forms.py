"""The assessor's decisions on action plans and on monitoring returns."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from charter.form_fields import strip_whitespace

APPROVE = "approve"
RETURN = "return"
RETURN_REASON_MESSAGE = "Give the reasons for returning the plan"


class DecisionForm(FlaskForm):
    decision = RadioField(
        "What is your decision?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(APPROVE, "Approve the action plan"),
            SelectChoice(RETURN, "Return it to the organisation for changes"),
        ],
        validators=[InputRequired("Select whether to approve or return the plan")],
    )
    comment = TextAreaField(
        "Comments",
        widget=GovTextArea(),
        validators=[Length(max=5000, message="Comments must be 5,000 characters or fewer")],
        description="Required when you return the plan: say what the organisation must change. "
        "The organisation sees your comments.",
    )
    submit = SubmitField("Send decision", widget=GovSubmitInput())

    def validate_comment(self, field):
        field.data = (field.data or "").strip()
        if self.decision.data == RETURN and not field.data:
            raise ValidationError(RETURN_REASON_MESSAGE)


# --- monitoring returns ---------------------------------------------------------------------

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

    version = HiddenField()
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


# --- Charter Mark applications ----------------------------------------------------------------

CONFIRM = "confirm"
SEND_BACK = "send_back"
SEND_BACK_MESSAGE = "Say why you are sending the award back"


class JudgementForm(FlaskForm):
    """One measure's verdict; made with ``prefix=f"measure-{id}"`` so each measure has its own."""

    verdict = RadioField(
        "Is the target met?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("met", "Met"),
            SelectChoice("partly_met", "Partly met"),
            SelectChoice("not_met", "Not met"),
        ],
        validators=[InputRequired("Select whether the target is met, partly met or not met")],
    )
    comment = TextAreaField(
        "Your reasons",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        validators=[
            DataRequired("Explain your judgement"),
            Length(max=5000, message="Your reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save judgement", widget=GovSubmitInput())


class InformationRequestForm(FlaskForm):
    version = HiddenField()
    questions = TextAreaField(
        "What do you need to know?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="The organisation sees your questions and answers them before you decide.",
        validators=[
            DataRequired("Enter your questions for the organisation"),
            Length(max=5000, message="Your questions must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Ask for more information", widget=GovSubmitInput())


class RefusalForm(FlaskForm):
    version = HiddenField()
    reasons = TextAreaField(
        "Why are you refusing the Charter Mark?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="The organisation sees your reasons. They may appeal or apply again later.",
        validators=[
            DataRequired("Give the reasons for refusing the Charter Mark"),
            Length(max=5000, message="Your reasons must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Refuse the Charter Mark", widget=GovSubmitInput())


class AwardForm(FlaskForm):
    version = HiddenField()
    rationale = TextAreaField(
        "Why are you awarding the Charter Mark?",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Your rationale is recorded and shown to the organisation.",
        validators=[
            DataRequired("Give the rationale for the award"),
            Length(max=5000, message="Your rationale must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Award the Charter Mark", widget=GovSubmitInput())


class ModerationForm(FlaskForm):
    version = HiddenField()
    decision = RadioField(
        "Do you confirm the award?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(CONFIRM, "Confirm the award"),
            SelectChoice(SEND_BACK, "Send it back to be assessed again"),
        ],
        validators=[InputRequired("Select whether to confirm the award or send it back")],
    )
    reasons = TextAreaField(
        "Reasons",
        widget=GovTextArea(),
        filters=[strip_whitespace],
        description="Required when you send the award back. The first assessor sees them.",
        validators=[Length(max=5000, message="Your reasons must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Send moderation decision", widget=GovSubmitInput())

    def validate_reasons(self, field):
        if self.decision.data == SEND_BACK and not field.data:
            raise ValidationError(SEND_BACK_MESSAGE)
