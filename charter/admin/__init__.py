"""Scheme administration, for administrators only: every page is guarded here, once."""

from flask import Blueprint

from charter.auth.decorators import staff_guard

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(staff_guard("admin"))

from charter.admin import views  # noqa: E402,F401
