"""A charter's administration, for its administrators only: every page is guarded here, once
(charter.auth.decorators: the charter is the acting one)."""

from flask import Blueprint

from charter.acting_charter import acts_in
from charter.auth.decorators import acting_charter_id, staff_guard
from charter.models.staff import ADMINISTRATOR

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(staff_guard(ADMINISTRATOR))
acts_in(bp, acting_charter_id)

from charter.admin import views  # noqa: E402,F401
