"""Pages anyone can see, signed in or not."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from charter.public import views  # noqa: E402,F401
