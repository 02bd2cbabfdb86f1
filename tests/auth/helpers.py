"""Helpers for the account tests: reading links out of queued emails."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import OutboxEmail, User


def emails_to(address: str) -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.to_address == address).order_by(OutboxEmail.id)
        )
    )


def last_email_to(address: str) -> OutboxEmail:
    emails = emails_to(address)
    assert emails, f"no email queued to {address}"
    return emails[-1]


def link_path(email: OutboxEmail, prefix: str) -> str:
    """The path of the first absolute link in ``email`` that starts with ``prefix``."""
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", email.body)
    assert match, f"no {prefix} link in: {email.body}"
    return match.group(1)


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def count_emails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEmail))


def user_with_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))
