"""Filling a return in: a measure's figure (a pair's two, an achievement's yes or no and date)
and narrative, evidence links, and the checks that the return (and the line) may still change.
Every change bumps the return's version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from charter.extensions import db
from charter.models import EvidenceFile, EvidenceLink, MonitoringReturn, ReturnLine, User
from charter.models.monitoring import LINE_ACCEPTED, LINE_QUERIED, RETURN_SUBMITTED, RETURN_VERIFIED
from charter.models.scheme import ACHIEVEMENT, PAIR
from charter.services.domain import plausibility
from charter.services.domain.refusals import Refused
from workflows.lifecycle import TransitionRefused

ACHIEVED_NEEDS_FILE = (
    "Upload a file that shows it was achieved (below) before you say it has been achieved"
)
ACHIEVED_NEEDS_DATE = "Enter the date it was achieved"


class LineRefused(Refused):
    """A line's answer that cannot be saved; ``field`` names the form field it is about."""


LOCKED_MESSAGES = {
    RETURN_SUBMITTED: "You cannot change a return that is waiting for verification.",
    RETURN_VERIFIED: "You cannot change a return that has been verified.",
}


def require_editable(monitoring_return: MonitoringReturn, line: ReturnLine | None = None) -> None:
    if monitoring_return.status in LOCKED_MESSAGES:
        raise TransitionRefused(LOCKED_MESSAGES[monitoring_return.status])
    if line is not None and line.review_status == LINE_ACCEPTED:
        raise TransitionRefused(
            f"The assessor has accepted {line.measure.code}, so you cannot change it. "
            "Answer the measures they queried."
        )


def _touch(monitoring_return: MonitoringReturn) -> None:
    """Bump the return's version, so an edit racing a submission or decision loses cleanly."""
    flag_modified(monitoring_return, "status")
    db.session.add(monitoring_return)


def save_line(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    *,
    actual_value: Decimal,
    narrative: str,
    response: str | None,
    explanation: str | None = None,
    second_value: Decimal | None = None,
) -> None:
    """One figure for the organisation (a pair's two: ``second_value`` is its second part)."""
    require_editable(monitoring_return, line)
    unit = line.measure.unit
    if unit == ACHIEVEMENT:
        raise TransitionRefused(f"{line.measure.code} is answered yes or no, not with a figure.")
    if (unit == PAIR) != (second_value is not None):
        raise LineRefused(
            f"Enter both figures for {line.measure.code}"
            if unit == PAIR
            else f"{line.measure.code} has one figure",
            "second_value" if unit == PAIR else "actual_value",
        )
    line.actual_value = actual_value
    line.second_value = second_value
    line.narrative = narrative
    if line.review_status == LINE_QUERIED:
        line.response = response
    flag(monitoring_return, line, [], explanation)
    _touch(monitoring_return)


def has_file(line: ReturnLine) -> bool:
    """Whether a file is uploaded on the line (an achievement's evidence)."""
    found = db.session.scalar(
        select(EvidenceFile.id)
        .where(EvidenceFile.return_line_id == line.id, EvidenceFile.audit_id.is_(None))
        .limit(1)
    )
    return found is not None


def save_achievement(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    *,
    achieved: bool,
    achieved_on: date | None,
    narrative: str,
    response: str | None,
) -> None:
    """Yes or no for an achievement. A yes needs the date it was achieved (not in the future)
    and a file on the line that shows it: refused (LineRefused) without them, nothing saved.
    A no has no date."""
    require_editable(monitoring_return, line)
    if line.measure.unit != ACHIEVEMENT:
        raise TransitionRefused(f"{line.measure.code} is reported as a figure.")
    if achieved:
        if achieved_on is None:
            raise LineRefused(ACHIEVED_NEEDS_DATE, "achieved_on")
        if achieved_on > date.today():
            raise LineRefused(
                "The date it was achieved must be today or in the past", "achieved_on"
            )
        if not has_file(line):
            raise LineRefused(ACHIEVED_NEEDS_FILE, "achieved")
    elif achieved_on is not None:
        raise LineRefused("Leave the date empty if it has not been achieved yet", "achieved_on")
    line.achieved = achieved
    line.achieved_on = achieved_on
    line.narrative = narrative
    if line.review_status == LINE_QUERIED:
        line.response = response
    _touch(monitoring_return)


def flag(monitoring_return, line: ReturnLine, figures, explanation: str | None) -> None:
    """Flag the saved figure if it is out of line (charter.services.domain.plausibility), with
    the organisation's explanation; a figure no longer flagged needs none."""
    plausibility.refresh(monitoring_return, line, figures)
    line.flag_explanation = (explanation or None) if line.is_flagged else None


def add_link(
    monitoring_return, line, *, url: str, description: str, user: User, figure=None
) -> EvidenceLink:
    require_editable(monitoring_return, line)
    link = EvidenceLink(
        return_line_id=line.id,
        contract_figure_id=figure.id if figure is not None else None,
        url=url,
        description=description,
        added_by_id=user.id,
    )
    db.session.add(link)
    _touch(monitoring_return)
    return link


def touch_for_evidence(monitoring_return: MonitoringReturn, line: ReturnLine) -> None:
    """Check the line may change before adding or removing a file, and bump the version."""
    require_editable(monitoring_return, line)
    _touch(monitoring_return)


def remove_link(monitoring_return, link: EvidenceLink, line: ReturnLine) -> None:
    require_editable(monitoring_return, line)
    db.session.delete(link)
    _touch(monitoring_return)
