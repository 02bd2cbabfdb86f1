"""The administration dashboard of the charter the administrator acts in: its organisations by
state, its staff by role, its scheme; the other charters they administer, and the service's
pages for a service administrator."""

from __future__ import annotations

from collections import Counter

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select

from charter.admin import bp
from charter.auth.decorators import acting_charter_id
from charter.branding import charter_with_id
from charter.extensions import db
from charter.models import Measure, Principle, Signing
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.services.domain import staff
from charter.services.domain.schemes import current_scheme
from workflows.lifecycle import STAGE_LABELS, stage

ROLE_LABELS = {
    "member": "Organisation members",
    ASSESSOR: "Assessors",
    ADMINISTRATOR: "Administrators",
}


@bp.get("/")
def show_dashboard():
    # By stage (workflows.states.stage): each pair of the two lifecycles, counted in SQL.
    by_state: Counter = Counter()
    for duties, mark, count in db.session.execute(
        select(Signing.status, Signing.mark_status, func.count())
        .where(Signing.charter_id == acting_charter_id())
        .group_by(Signing.status, Signing.mark_status)
    ):
        by_state[stage(duties, mark)] += count
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
        charter_name=charter_with_id(acting_charter_id()).name,
        other_charters=_other_charters(),
        state_counts=[(state, label, by_state[state]) for state, label in STAGE_LABELS.items()],
        organisation_total=sum(by_state.values()),
        role_counts=[(label, by_role.get(role, 0)) for role, label in ROLE_LABELS.items()],
        scheme=scheme,
        scheme_counts=scheme_counts,
    )


def _other_charters():
    """The other charters the person administers, to switch to (``?charter=``; no query)."""
    return [
        charter_with_id(charter_id)
        for charter_id in staff.charters_of(current_user)
        if charter_id != acting_charter_id() and staff.is_administrator(current_user, charter_id)
    ]
