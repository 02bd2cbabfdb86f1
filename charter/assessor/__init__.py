"""Assessors' work. Every page is for a signed-in, confirmed assessor or administrator of the
acting charter, checked here once; the views that decide something add
``staff_required(ASSESSOR)`` (administrators may look, only assessors decide)."""

from flask import Blueprint

from charter.auth.decorators import staff_guard
from charter.models.staff import ADMINISTRATOR, ASSESSOR

bp = Blueprint("assessor", __name__, url_prefix="/assessor")
bp.before_request(staff_guard(ASSESSOR, ADMINISTRATOR, verified=True))

from charter.assessor import views  # noqa: E402,F401
