"""What the pages that send email share: a per-IP limit, so they cannot be used to flood an
inbox, and the session keys that carry the address a person typed to the next page."""

from __future__ import annotations

from flask import current_app

# Where the "check your email" pages find the address the person typed.
SESSION_EMAIL_SENT_TO = "email_sent_to"
# The address to put in the sign-in form after an emailed link (never in the URL or logs).
SESSION_SIGN_IN_EMAIL = "sign_in_email"
DEFAULT_EMAIL_SENDING_LIMIT = "20 per 10 minutes"


def email_sending_limit() -> str:
    return current_app.config.get("EMAIL_SENDING_LIMIT_PER_IP", DEFAULT_EMAIL_SENDING_LIMIT)
