"""Sign-in throttling that does not lock a person out because of other people's failures.

Two limits, both counting failed attempts only, in Flask-Limiter's store
(``RATELIMIT_STORAGE_URI``, shared by every worker and host):

- per IP address and account (``SIGN_IN_LIMIT_PER_ACCOUNT``): guessing one account's password
  from one place stops after a few tries, and a correct password is refused too once it is
  reached, so the limit cannot be used to confirm a guess;
- per IP address (``SIGN_IN_LIMIT_PER_IP``, higher): many accounts tried from one place. Once
  it is reached, wrong passwords are refused, but a correct one still passes: behind one office
  or mobile network address, a colleague's (or an attacker's) failures must not lock out a
  person who knows their password.

Whether the password is correct is worked out once per request and kept on ``g``, because the
per-IP limit needs it before the view runs; the view then uses the same answer.
"""

from __future__ import annotations

from flask import g, request
from flask_limiter.util import get_remote_address

from charter.models import User
from charter.services.domain import accounts

_NOT_CHECKED = object()


def failed_attempt(response) -> bool:
    """Only failed attempts count towards a throttle: success always redirects."""
    return response.status_code != 302


def submitted_email() -> str:
    return accounts.normalise_email(request.form.get("email", ""))


def no_account_submitted() -> bool:
    return not submitted_email()


def address_and_account() -> str:
    # Prefixed so that no account key can collide with a bare IP address key.
    return f"address-account:{get_remote_address()}:{submitted_email()}"


def authenticated_user(email: str, password: str) -> User | None:
    """``accounts.authenticate``, at most once a request for the same email and password."""
    cached = g.get("sign_in_check", _NOT_CHECKED)
    if cached is not _NOT_CHECKED and cached[0] == (email, password):
        return cached[1]
    user = accounts.authenticate(email, password) if email and password else None
    g.sign_in_check = ((email, password), user)
    return user


def password_is_correct() -> bool:
    """``exempt_when`` for the per-IP limit: the right password gets through it."""
    return (
        authenticated_user(request.form.get("email", ""), request.form.get("password", ""))
        is not None
    )
