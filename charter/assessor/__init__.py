from flask import Blueprint

bp = Blueprint("assessor", __name__, url_prefix="/assessor")

from charter.assessor import audits, views  # noqa: E402,F401
