"""Assessors' work. Every page is for a signed-in, confirmed assessor or administrator, checked
here once; the views that decide something add ``staff_required("assessor")`` (admins may look,
only assessors decide)."""

from flask import Blueprint

from charter.auth.decorators import staff_guard

bp = Blueprint("assessor", __name__, url_prefix="/assessor")
bp.before_request(staff_guard("assessor", "admin", verified=True))

from charter.assessor import views  # noqa: E402,F401
