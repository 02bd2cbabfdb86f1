"""Administration: a charter's pages for its administrators, acting in their own charter, and
the service's pages for service administrators (charter/admin/scope.py says which is which).
Every page is guarded here, once."""

from flask import Blueprint

from charter.acting_charter import acts_in
from charter.auth.decorators import acting_charter_id, acts_in_own_charter
from charter.models.staff import ADMINISTRATOR

bp = Blueprint("admin", __name__, url_prefix="/admin")
acts_in_own_charter(bp.name, ADMINISTRATOR)

from charter.admin.scope import admin_guard  # noqa: E402

bp.before_request(admin_guard)
acts_in(bp, acting_charter_id)

from charter.admin import views  # noqa: E402,F401
