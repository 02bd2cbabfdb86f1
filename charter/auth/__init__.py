from flask import Blueprint

bp = Blueprint("auth", __name__)

from charter.auth import preferences, views  # noqa: E402,F401
