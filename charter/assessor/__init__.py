"""Assessors' work. Every page is for a signed-in, confirmed assessor or administrator of the
acting charter, checked here once; the views that decide something add
``staff_required(ASSESSOR)`` (administrators may look, only assessors decide)."""

from flask import Blueprint

from charter.acting_charter import acts_in
from charter.auth.decorators import acting_charter_id, staff_guard
from charter.models.staff import ADMINISTRATOR, ASSESSOR

bp = Blueprint("assessor", __name__, url_prefix="/assessor")
bp.before_request(staff_guard(ASSESSOR, ADMINISTRATOR, verified=True))
acts_in(bp, acting_charter_id)

from charter.assessor import views  # noqa: E402,F401
