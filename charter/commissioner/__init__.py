"""The commissioners' contract managers: a fourth audience, beside organisations, assessors and
administrators. They confirm the contracts suppliers record against their commissioner and
endorse or query the per-contract figures in monitoring returns."""

from flask import Blueprint

bp = Blueprint("commissioner", __name__, url_prefix="/commissioner")

from charter.commissioner import views  # noqa: E402,F401
