"""An organisation's own pages, for its members (and its charters' staff, who may look). They
act on one of its signings: the charter ``?charter=`` names, or its first
(charter.acting_charter)."""

from flask import Blueprint

from charter.acting_charter import acts_in_named_charter

bp = Blueprint("organisation", __name__, url_prefix="/organisations")
acts_in_named_charter(bp)

from charter.organisation import views  # noqa: E402,F401
