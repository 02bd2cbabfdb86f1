"""The administration dashboard: organisations by state, the charter's staff by role, the
scheme."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from charter.admin import bp
from charter.auth.decorators import acting_charter_id
from charter.extensions import db
from charter.models import Measure, Principle, Signing
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.services.domain import staff
from charter.services.domain.schemes import current_scheme
from workflows.lifecycle import STATE_LABELS, STATES

ROLE_LABELS = {
    "member": "Organisation members",
    ASSESSOR: "Assessors",
    ADMINISTRATOR: "Administrators",
}


@bp.get("/")
def show_dashboard():
    by_state = dict(
        db.session.execute(
            select(Signing.status, func.count())
            .where(Signing.charter_id == acting_charter_id())
            .group_by(Signing.status)
        ).all()
    )
    by_role = staff.accounts_by_role(acting_charter_id())
    scheme = current_scheme()
    scheme_counts = None
    if scheme is not None:
        scheme_counts = {
            "principles": db.session.scalar(
                select(func.count()).select_from(Principle).where(Principle.scheme_id == scheme.id)
            ),
            "core": db.session.scalar(
                select(func.count())
                .select_from(Measure)
                .where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            ),
            "measures": db.session.scalar(
                select(func.count()).select_from(Measure).where(Measure.scheme_id == scheme.id)
            ),
        }
    return render_template(
        "admin/dashboard.html",
        state_counts=[(state, STATE_LABELS[state], by_state.get(state, 0)) for state in STATES],
        organisation_total=sum(by_state.values()),
        role_counts=[(label, by_role.get(role, 0)) for role, label in ROLE_LABELS.items()],
        scheme=scheme,
        scheme_counts=scheme_counts,
    )
