"""Accounts: creating one, signing in and out, passwords, email preferences, closing an account
and a copy of one's data."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from charter.auth import views  # noqa: E402,F401
