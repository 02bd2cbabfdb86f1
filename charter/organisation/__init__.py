from flask import Blueprint

bp = Blueprint("organisation", __name__, url_prefix="/organisations")

from charter.organisation import views  # noqa: E402,F401
