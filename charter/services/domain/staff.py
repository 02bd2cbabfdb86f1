"""Scheme staff: appointing assessors and administrators. Functions add to the session; the
caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from charter.extensions import db
from charter.models import Membership, Organisation, User
from charter.models.base import utcnow
from charter.models.user import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_MEMBER
from charter.services import notices
from charter.services.domain.accounts import normalise_email, user_by_email
from charter.services.domain.refusals import Refused
from charter.services.domain.text import clean_text

NO_ACCOUNT = "There is no account with that email address. Ask them to create an account first."


class StaffChangeRefused(Refused):
    """The change cannot be made; the message says why, in words for the administrator."""


def organisations_of(user: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


def assessor_candidate(email: str) -> User:
    """The user who may be appointed as an assessor, or StaffChangeRefused saying why not."""
    user = user_by_email(email)
    if user is None:
        raise StaffChangeRefused(NO_ACCOUNT)
    if not user.is_verified:
        raise StaffChangeRefused(
            f"{user.full_name} has not confirmed their email address yet. "
            "Ask them to confirm it, then appoint them."
        )
    if user.role == ROLE_ASSESSOR:
        raise StaffChangeRefused(f"{user.full_name} is already an assessor.")
    if user.role == ROLE_ADMIN:
        raise StaffChangeRefused(
            f"{user.full_name} is a scheme administrator. Administrators cannot also be assessors."
        )
    return user


def appoint_assessor(email: str, appointed_by: User) -> User:
    user = assessor_candidate(email)
    user.role = ROLE_ASSESSOR
    notices.staff.assessor_appointed(user, appointed_by)
    return user


def revoke_assessor(user: User) -> None:
    if user.role != ROLE_ASSESSOR:
        raise StaffChangeRefused(f"{user.full_name} is not an assessor.")
    user.role = ROLE_MEMBER


@dataclass(frozen=True)
class AdminResult:
    user: User
    created: bool  # False: an existing account was promoted
    previous_role: str | None = None


def make_admin(email: str, full_name: str | None, password_hash: str | None) -> AdminResult:
    """Create a verified administrator, or promote the existing account with that email.

    An existing account keeps its name and password: promoting someone must not lock them out.
    """
    user = user_by_email(email)
    if user is not None:
        # An unconfirmed account may have been opened by someone who does not own the address.
        if not user.is_verified:
            raise StaffChangeRefused(
                f"The account {user.email} has not confirmed its email address, so it cannot be "
                "made an administrator. Ask them to confirm it first."
            )
        previous_role, user.role = user.role, ROLE_ADMIN
        return AdminResult(user, created=False, previous_role=previous_role)
    if not full_name or not password_hash:
        raise StaffChangeRefused("A new administrator needs a full name and a password.")
    now = utcnow()
    user = User(
        email=normalise_email(email),
        full_name=clean_text(full_name),
        password_hash=password_hash,
        role=ROLE_ADMIN,
        email_verified_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    return AdminResult(user, created=True)
