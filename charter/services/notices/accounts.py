"""Notices about a person's own account: confirming the address, resetting the password.
Sent to one address, whoever is signed in; the signed tokens are made by the domain."""

from __future__ import annotations

from flask import current_app

from charter.services.notices.links import link
from charter.services.notices.outbox import queue_email


def verify_email(user, token: str) -> None:
    queue_email(
        user.email,
        "Confirm your email address",
        "verify-email",
        full_name=user.full_name,
        verify_url=link("auth.verify_email", token=token),
        max_age_hours=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 3600,
    )


def account_exists(user) -> None:
    """Someone tried to create an account with this person's address."""
    queue_email(
        user.email,
        "You already have an account",
        "account-exists",
        full_name=user.full_name,
        sign_in_url=link("auth.sign_in"),
        reset_url=link("auth.request_password_reset"),
    )


def reset_password(user, token: str) -> None:
    queue_email(
        user.email,
        "Reset your password",
        "reset-password",
        full_name=user.full_name,
        reset_url=link("auth.reset_password", token=token),
        max_age_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def password_changed(user) -> None:
    """Told in case it was not them."""
    queue_email(
        user.email,
        "Your password has been changed",
        "password-changed",
        full_name=user.full_name,
        changed_at=user.password_changed_at,
        reset_url=link("auth.request_password_reset"),
    )
