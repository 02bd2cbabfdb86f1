"""Filling a return in: a measure's figure and narrative, evidence links, and the checks that
the return (and the line) may still change. Every change bumps the return's version."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm.attributes import flag_modified

from charter.extensions import db
from charter.models import EvidenceLink, MonitoringReturn, ReturnLine, User
from charter.models.monitoring import LINE_ACCEPTED, LINE_QUERIED, RETURN_SUBMITTED, RETURN_VERIFIED
from charter.services.domain import plausibility
from workflows.lifecycle import TransitionRefused

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
) -> None:
    require_editable(monitoring_return, line)
    line.actual_value = actual_value
    line.narrative = narrative
    if line.review_status == LINE_QUERIED:
        line.response = response
    flag(monitoring_return, line, [], explanation)
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
