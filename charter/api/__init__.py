"""The read-only public JSON API, /api/v1, described by its OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from charter.api import charters, views  # noqa: E402,F401
