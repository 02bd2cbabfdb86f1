"""The assessor's list of action plans waiting for a decision: a read of plans and their
organisations, kept apart from drafting and deciding (charter.services.domain.plans)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Organisation, Signing
from charter.models.plan import PLAN_SUBMITTED, ActionPlan
from charter.services.domain import signings
from charter.services.domain.plans import DECIDABLE_STATES

WAITING_PER_PAGE = 25


@dataclass(frozen=True)
class WaitingPage:
    rows: list[tuple[ActionPlan, Organisation]]
    total: int
    page: int
    pages: int


def waiting_plans(search: str = "", district: str = "", page: int = 1) -> WaitingPage:
    """Submitted plans an assessor can decide on, oldest first, each with its organisation in
    the same query. A plan left submitted by an organisation that has since withdrawn (or
    lapsed, or been suspended) is not waiting: it could not be decided."""
    conditions = [
        ActionPlan.status == PLAN_SUBMITTED,
        Signing.status.in_(DECIDABLE_STATES),
        signings.in_acting_charter(),  # the assessor's charter's
    ]
    if search:
        escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(Organisation.name).like(f"%{escaped}%", escape="\\"))
    if district:
        conditions.append(Organisation.district == district)
    total = db.session.scalar(
        select(func.count(ActionPlan.id))
        .join(Organisation, ActionPlan.organisation_id == Organisation.id)
        .join(Signing, Signing.id == ActionPlan.signing_id)
        .where(*conditions)
    )
    pages = max(1, -(-total // WAITING_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(ActionPlan, Organisation)
        .join(Organisation, ActionPlan.organisation_id == Organisation.id)
        .join(Signing, Signing.id == ActionPlan.signing_id)
        .where(*conditions)
        .order_by(ActionPlan.submitted_at, ActionPlan.id)
        .limit(WAITING_PER_PAGE)
        .offset((page - 1) * WAITING_PER_PAGE)
    ).all()
    return WaitingPage([tuple(r) for r in rows], total, page, pages)


def districts_waiting() -> list[str]:
    return list(
        db.session.scalars(
            select(Organisation.district)
            .join(ActionPlan, ActionPlan.organisation_id == Organisation.id)
            .join(Signing, Signing.id == ActionPlan.signing_id)
            .where(
                ActionPlan.status == PLAN_SUBMITTED,
                Signing.status.in_(DECIDABLE_STATES),
                signings.in_acting_charter(),
            )
            .distinct()
            .order_by(Organisation.district)
        )
    )
