"""Accounts: password hashing (argon2id), the password policy, signed email links, and the
domain rules around creating, confirming and recovering accounts.

Functions add to ``db.session`` and queue emails; the calling view commits once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import User
from charter.models.base import utcnow
from charter.services import notices
from charter.services.domain.text import clean_text

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
# The local part of an email address is only refused inside a password when it is long enough
# to be a real hint: refusing every password containing "a" (for a@example.com) helps nobody.
EMAIL_LOCAL_PART_MIN_LENGTH = 3

VERIFY_EMAIL_SALT = "charter.verify-email"
RESET_PASSWORD_SALT = "charter.reset-password"

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


# --- Hashing -------------------------------------------------------------------------------


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["PASSWORD_HASH_TIME_COST"],
        memory_cost=cfg["PASSWORD_HASH_MEMORY_COST"],
        parallelism=cfg["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: it changes whenever the password does, so links and
    sessions that carry it stop working after a password change."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[-16:]


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()


# --- Policy --------------------------------------------------------------------------------


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str, email: str | None = None) -> str | None:
    """The GOV.UK-style error message for a password that breaks the policy, or None.

    NCSC guidance: length over complexity, no composition rules, refuse the passwords
    attackers try first and ones built from the person's own details.
    """
    if not password:
        return "Enter a password"
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Password must be {PASSWORD_MIN_LENGTH} characters or more"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Password must be {PASSWORD_MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in common_passwords() or lowered.replace(" ", "") in common_passwords():
        return (
            "Password is too easy to guess. Choose a password that is harder to guess, "
            "for example three random words"
        )
    local_part = normalise_email(email or "").partition("@")[0]
    if len(local_part) >= EMAIL_LOCAL_PART_MIN_LENGTH and local_part in lowered:
        return "Password must not contain your email address"
    return None


# --- Looking people up ---------------------------------------------------------------------


def user_by_email(email: str) -> User | None:
    email = normalise_email(email)
    if not email:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash("not a real password, only here to spend the same time")


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (the same for either mistake).

    An unknown email still costs one hash verification, so response times do not tell an
    attacker which addresses have accounts. A hash made with older parameters is upgraded.
    """
    user = user_by_email(email)
    if user is None:
        cfg = current_app.config
        check_password(
            _dummy_hash(
                cfg["PASSWORD_HASH_TIME_COST"],
                cfg["PASSWORD_HASH_MEMORY_COST"],
                cfg["PASSWORD_HASH_PARALLELISM"],
            ),
            password,
        )
        return None
    if not check_password(user.password_hash, password):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        # Not a password change, so password_changed_at stays. Other sessions end (their
        # fingerprint no longer matches): rare, only after the hashing parameters change.
        user.password_hash = hash_password(password)
    return user


# --- Signed links --------------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


@dataclass(frozen=True)
class TokenResult:
    user: User | None
    problem: str | None  # "expired" or "invalid" when user is None


def _load_token(salt: str, token: str, max_age: int) -> tuple[dict | None, str | None]:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict):
        return None, "invalid"
    return payload, None


def verification_token(user: User) -> str:
    # The address is part of the payload, so a link stops working if the address changes.
    return _serializer(VERIFY_EMAIL_SALT).dumps({"user_id": user.id, "email": user.email})


def user_for_verification_token(token: str) -> TokenResult:
    payload, problem = _load_token(
        VERIFY_EMAIL_SALT, token, current_app.config["EMAIL_VERIFY_MAX_AGE"]
    )
    if payload is None:
        return TokenResult(None, problem)
    user = db.session.get(User, payload.get("user_id"))
    if user is None or user.email != payload.get("email"):
        return TokenResult(None, "invalid")
    return TokenResult(user, None)


def reset_token(user: User) -> str:
    return _serializer(RESET_PASSWORD_SALT).dumps(
        {"user_id": user.id, "fingerprint": password_fingerprint(user.password_hash)}
    )


def user_for_reset_token(token: str) -> TokenResult:
    """The user a password reset link belongs to. A used link is invalid: the password hash,
    and so its fingerprint in the link, has changed since it was sent."""
    payload, problem = _load_token(
        RESET_PASSWORD_SALT, token, current_app.config["PASSWORD_RESET_MAX_AGE"]
    )
    if payload is None:
        return TokenResult(None, problem)
    user = db.session.get(User, payload.get("user_id"))
    if user is None or password_fingerprint(user.password_hash) != payload.get("fingerprint"):
        return TokenResult(None, "invalid")
    return TokenResult(user, None)


# --- Journeys ------------------------------------------------------------------------------


def send_verification_email(user: User) -> None:
    notices.accounts.verify_email(user, verification_token(user))


def create_account(full_name: str, email: str, password: str) -> User | None:
    """Create an unverified member and send the confirmation link; None if the address is
    taken, in which case its owner is told by email instead (the page says the same either way).
    """
    email = normalise_email(email)
    # Hash first whatever happens, so a taken address answers no faster than a new one.
    password_hash = hash_password(password)
    existing = user_by_email(email)
    if existing is not None:
        notices.accounts.account_exists(existing)
        return None
    user = User(
        email=email,
        full_name=clean_text(full_name),
        password_hash=password_hash,
        email_verified_at=None,
    )
    db.session.add(user)
    db.session.flush()  # the id goes into the signed link
    send_verification_email(user)
    return user


def mark_email_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def resend_verification(email: str) -> None:
    """Send a fresh confirmation link if the address belongs to an unconfirmed account."""
    user = user_by_email(email)
    if user is not None and not user.is_verified:
        send_verification_email(user)


def request_password_reset(email: str) -> None:
    """Send a reset link if an account has this address; otherwise do nothing, silently."""
    user = user_by_email(email)
    if user is None:
        return
    notices.accounts.reset_password(user, reset_token(user))


def change_password(user: User, new_password: str) -> None:
    """Set a new password and tell the account's owner, in case it was not them."""
    set_password(user, new_password)
    notices.accounts.password_changed(user)


def reset_password(user: User, new_password: str) -> None:
    # Following the emailed link proves the person controls the address.
    mark_email_verified(user)
    change_password(user, new_password)
