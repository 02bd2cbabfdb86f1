"""A charter's administration, for its administrators only: every page is guarded here, once
(charter.auth.decorators: the charter is the acting one)."""

from flask import Blueprint

from charter.auth.decorators import staff_guard
from charter.models.staff import ADMINISTRATOR

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(staff_guard(ADMINISTRATOR))

from charter.admin import views  # noqa: E402,F401
