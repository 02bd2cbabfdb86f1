"""Pages for someone running the service on their own machine, not for its users: today the
outbox of queued emails. Each page answers 404 unless it is switched on (see its module)."""

from flask import Blueprint

bp = Blueprint("dev", __name__, url_prefix="/dev")

from charter.dev import views  # noqa: E402,F401
