"""Assessors' work. Every page is for a signed-in, confirmed assessor or administrator of the
acting charter, checked here once. Staff act in their own charter here
(``acts_in_own_charter``): every queue and every page holds that charter's signings only. The
views that decide something add ``staff_required(ASSESSOR)`` (administrators may look, only
assessors decide)."""

from flask import Blueprint

from charter.acting_charter import acts_in
from charter.auth.decorators import acting_charter_id, acts_in_own_charter, staff_guard
from charter.models.staff import ADMINISTRATOR, ASSESSOR

bp = Blueprint("assessor", __name__, url_prefix="/assessor")
acts_in_own_charter(bp.name)
bp.before_request(staff_guard(ASSESSOR, ADMINISTRATOR, verified=True))
acts_in(bp, acting_charter_id)

from charter.assessor import views  # noqa: E402,F401
