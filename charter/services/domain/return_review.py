"""The assessor's side of monitoring returns: the queue of returns waiting, and verification
line by line. Verified returns are locked; queried lines go back to the organisation."""

from __future__ import annotations

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import MonitoringReturn, Organisation, Signing, User
from charter.models.base import utcnow
from charter.models.monitoring import (
    LINE_ACCEPTED,
    LINE_QUERIED,
    RETURN_QUERIED,
    RETURN_SUBMITTED,
    RETURN_VERIFIED,
)
from charter.services import notices
from charter.services.domain import duties, signings
from charter.services.domain.lifecycle import is_member
from charter.services.domain.returns import WAITING_LIMIT, lines_of
from charter.services.domain.versions import check_version
from workflows.lifecycle import Forbidden, TransitionRefused


def require_decidable(monitoring_return: MonitoringReturn, organisation, assessor: User) -> None:
    if is_member(assessor, organisation):
        raise Forbidden("You cannot verify a return from an organisation you are a member of.")
    if monitoring_return.status != RETURN_SUBMITTED:
        raise TransitionRefused(
            "This return is not waiting for verification: it is "
            f"‘{monitoring_return.status_label}’."
        )


def decide_return(
    monitoring_return: MonitoringReturn,
    assessor: User,
    decisions: dict[int, tuple[str, str]],
    version,
) -> bool:
    """Accept or query each line; verified when every line is accepted. True if verified."""
    organisation = db.session.get(Organisation, monitoring_return.organisation_id)
    require_decidable(monitoring_return, organisation, assessor)
    check_version(monitoring_return, version)
    lines = lines_of(monitoring_return)
    if {line.id for line in lines} != set(decisions):
        raise TransitionRefused("Decide on every measure in the return.")
    for line in lines:
        status, comment = decisions[line.id]
        if status == LINE_QUERIED and not comment:
            raise TransitionRefused(f"Say what is missing or wrong for {line.measure.code}.")
        line.review_status = status
        line.assessor_comment = comment or None
        if status == LINE_QUERIED:
            # A fresh answer is needed for this query.
            line.response = None
    verified = all(line.review_status == LINE_ACCEPTED for line in lines)
    if verified:
        monitoring_return.status = RETURN_VERIFIED
        monitoring_return.verified_at = utcnow()
        monitoring_return.verified_by_id = assessor.id
    else:
        monitoring_return.status = RETURN_QUERIED
    db.session.flush()
    if verified:
        # A system suspension for this missed return lifts now (issue 8); never an admin's.
        duties.reinstate_if_met(organisation)
    notices.returns.decided(
        organisation,
        monitoring_return,
        verified=verified,
        queried=[line for line in lines if line.review_status == LINE_QUERIED],
    )
    return verified


def _escaped_like(text: str) -> str:
    return text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def waiting_returns(
    search: str = "", district: str = ""
) -> list[tuple[MonitoringReturn, Organisation]]:
    """Submitted returns, oldest submission first, each with its organisation, in one query."""
    conditions = [MonitoringReturn.status == RETURN_SUBMITTED]
    if search:
        conditions.append(
            func.lower(Organisation.name).like(f"%{_escaped_like(search)}%", escape="\\")
        )
    if district:
        conditions.append(Organisation.district == district)
    rows = db.session.execute(
        select(MonitoringReturn, Organisation)
        .join(Organisation, MonitoringReturn.organisation_id == Organisation.id)
        .join(Signing, Signing.id == MonitoringReturn.signing_id)
        .where(*conditions, signings.in_acting_charter())
        .order_by(MonitoringReturn.submitted_at, MonitoringReturn.id)
        .limit(WAITING_LIMIT)
    ).all()
    return [tuple(r) for r in rows]


def districts_waiting() -> list[str]:
    return list(
        db.session.scalars(
            select(Organisation.district)
            .join(MonitoringReturn, MonitoringReturn.organisation_id == Organisation.id)
            .join(Signing, Signing.id == MonitoringReturn.signing_id)
            .where(MonitoringReturn.status == RETURN_SUBMITTED, signings.in_acting_charter())
            .distinct()
            .order_by(Organisation.district)
        )
    )
