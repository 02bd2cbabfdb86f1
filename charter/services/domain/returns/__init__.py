"""Monitoring returns: opening one per ended period, filling lines in (per contract for the
measures the scheme reports per contract), submitting, and reading them back.

Each return carries a version column: a submission, an edit and an assessor's decision racing
on the same return cannot all commit (the loser gets StaleDataError, a 409 page). Forms post
the version they were shown, so a decision made on an out-of-date page is refused too
(charter.services.domain.versions.check_version).
Functions add to the session and never commit.

The package is split by responsibility: ``opening`` (new returns), ``reading`` (queries for
pages), ``editing`` (a line's figure, narrative and evidence), ``figures`` (per-contract
figures and the derived total) and ``submitting`` (sending for verification). Callers use the
names re-exported here.
"""

from charter.services.domain.returns.editing import (
    LOCKED_MESSAGES,
    LineRefused,
    add_link,
    has_file,
    remove_link,
    require_editable,
    save_achievement,
    save_line,
    touch_for_evidence,
)
from charter.services.domain.returns.figures import (
    OFF_CONTRACT,
    FigureRow,
    active_contracts,
    figure_for,
    figure_rows,
    figures_by_line,
    missing_figures,
    save_figures,
)
from charter.services.domain.returns.opening import (
    ALREADY_DELIVERING,
    MONITORED_STATES,
    RETROSPECTIVE_STATES,
    Opening,
    _create_return,
    can_start_retrospective,
    ensure_returns,
    open_returns,
    returns_missing,
    start_retrospective,
)
from charter.services.domain.returns.reading import (
    WAITING_LIMIT,
    Evidence,
    evidence_file_for,
    evidence_for,
    evidence_link_for,
    is_overdue,
    line_by_id,
    line_for,
    lines_of,
    return_by_id,
    return_for,
    returns_of,
    summary,
    targets_for,
)
from charter.services.domain.returns.submitting import problems, submit_return

__all__ = [
    "ALREADY_DELIVERING",
    "LOCKED_MESSAGES",
    "MONITORED_STATES",
    "OFF_CONTRACT",
    "RETROSPECTIVE_STATES",
    "WAITING_LIMIT",
    "Evidence",
    "FigureRow",
    "LineRefused",
    "Opening",
    "_create_return",
    "active_contracts",
    "add_link",
    "can_start_retrospective",
    "ensure_returns",
    "evidence_file_for",
    "evidence_for",
    "evidence_link_for",
    "figure_for",
    "figure_rows",
    "figures_by_line",
    "has_file",
    "is_overdue",
    "line_by_id",
    "line_for",
    "lines_of",
    "missing_figures",
    "open_returns",
    "problems",
    "remove_link",
    "require_editable",
    "return_by_id",
    "return_for",
    "returns_missing",
    "returns_of",
    "save_achievement",
    "save_figures",
    "save_line",
    "start_retrospective",
    "submit_return",
    "summary",
    "targets_for",
    "touch_for_evidence",
]
