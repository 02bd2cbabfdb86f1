"""Sending a return for verification: what still stops it, and telling the members."""

from __future__ import annotations

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, ReturnLine, User
from charter.models.base import utcnow
from charter.models.monitoring import LINE_PENDING, LINE_QUERIED, RETURN_SUBMITTED
from charter.models.scheme import ACHIEVEMENT, PAIR
from charter.services import notices
from charter.services.domain import periods, plausibility
from charter.services.domain.returns.editing import require_editable
from charter.services.domain.returns.figures import figures_by_line, missing_figures
from charter.services.domain.returns.reading import Evidence, evidence_for, lines_of
from charter.services.domain.versions import check_version
from workflows.lifecycle import TransitionRefused


def problems(
    lines: list[ReturnLine], evidence: Evidence, missing: dict[int, list[str]] | None = None
) -> list[str]:
    """What stops the return being sent, one message per gap, in measure order. ``missing``
    names, per per-contract line, the active contracts without a figure."""
    found = []
    missing = missing or {}
    for line in lines:
        name = f"{line.measure.code}: {line.measure.title}"
        gaps = []
        if missing.get(line.id):
            what = "both figures" if line.measure.unit == PAIR else "a figure"
            gaps.append(
                f"enter {what} for " + ", ".join(missing[line.id]) + " (0 if there was none)"
            )
        elif line.measure.unit == ACHIEVEMENT:
            gaps += _achievement_gaps(line, evidence)
        elif line.actual_value is None:
            gaps.append("enter the actual figure")
        elif line.measure.unit == PAIR and line.second_value is None:
            gaps.append(f"enter the figure for ‘{line.measure.parts[1]['label']}’")
        if not (line.narrative or "").strip():
            gaps.append("say what you did")
        if plausibility.needs_explanation(line):
            gaps.append("explain why the figure is out of line")
        if evidence.count(line) == 0:
            gaps.append("add evidence (a file or a link)")
        if line.review_status == LINE_QUERIED and not (line.response or "").strip():
            gaps.append("respond to the assessor's query")
        if gaps:
            found.append(f"{name}: {', '.join(gaps)}")
    return found


def _achievement_gaps(line: ReturnLine, evidence: Evidence) -> list[str]:
    if line.achieved is None:
        return ["say whether it has been achieved"]
    if not line.achieved:
        return []
    gaps = [] if line.achieved_on else ["enter the date it was achieved"]
    if not evidence.files.get(line.id):
        gaps.append("upload a file that shows it was achieved")
    return gaps


def submit_return(
    organisation: Organisation, monitoring_return: MonitoringReturn, user: User, version
) -> None:
    require_editable(monitoring_return)
    check_version(monitoring_return, version)
    lines = lines_of(monitoring_return)
    missing = missing_figures(monitoring_return, lines, figures_by_line(lines))
    gaps = problems(lines, evidence_for(lines), missing)
    if gaps:
        raise TransitionRefused("You cannot send this return yet.", gaps)
    now = utcnow()
    monitoring_return.status = RETURN_SUBMITTED
    monitoring_return.submitted_at = now
    monitoring_return.submitted_by_id = user.id
    if monitoring_return.first_submitted_at is None:
        monitoring_return.first_submitted_at = now
    # Lateness is judged on the first submission: answering a query later is not late.
    monitoring_return.is_late = periods.is_late(
        monitoring_return.first_submitted_at, monitoring_return.due_date
    )
    for line in lines:
        if line.review_status == LINE_QUERIED:
            line.review_status = LINE_PENDING
    db.session.flush()
    notices.returns.submitted(organisation, monitoring_return, user)
