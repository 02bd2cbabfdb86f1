from flask import Blueprint

bp = Blueprint("auth", __name__)

from charter.auth import closing, data_exports, preferences, views  # noqa: E402,F401
