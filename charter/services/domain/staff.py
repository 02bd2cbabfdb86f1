"""Staff: who may act as an administrator or an assessor in which charter, and appointing and
removing them. The one place that answers "may this person act as X in this charter".

A person's open charter roles are read once per person per request: the user loader reads them
with the account (``user_with_roles``, one query) and keeps them on the instance, so every check
after that (the blueprint guard, the header, a view's "may decide") asks no database. A person
loaded some other way has their roles read on the first check. Changes made here forget what was
kept, so the same request sees them.

The service administrator (``User.service_admin``) creates charters and appoints their first
administrators; it gives no role in a charter. Functions add to the session; the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy import literal as sa_literal
from sqlalchemy.orm.util import identity_key

from charter.extensions import db
from charter.models import Charter, Membership, Organisation, Signing, StaffRole, User
from charter.models.base import utcnow
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.accounts import normalise_email, user_by_email
from charter.services.domain.refusals import Refused
from charter.services.domain.text import clean_text

NO_ACCOUNT = "There is no account with that email address. Ask them to create an account first."
ROLE_NAMES = {ADMINISTRATOR: "an administrator", ASSESSOR: "an assessor"}
_KEPT = "_charter_roles"  # attribute on a User instance: {charter_id: frozenset(roles)}

OPEN = StaffRole.removed_at.is_(None)


class StaffChangeRefused(Refused):
    """The change cannot be made; the message says why, in words for the administrator."""


# --- Who may act as what -------------------------------------------------------------------


def _keep(user: User, rows: Iterable[tuple[int, str]]) -> dict[int, frozenset[str]]:
    held: dict[int, set[str]] = {}
    for charter_id, role in rows:
        held.setdefault(charter_id, set()).add(role)
    kept = {charter_id: frozenset(roles) for charter_id, roles in held.items()}
    setattr(user, _KEPT, kept)
    return kept


def _held(user: User) -> dict[int, frozenset[str]]:
    kept = getattr(user, _KEPT, None)
    if kept is None:
        rows = db.session.execute(
            select(StaffRole.charter_id, StaffRole.role).where(StaffRole.user_id == user.id, OPEN)
        )
        kept = _keep(user, rows.all())
    return kept


def forget_roles(user: User) -> None:
    """The next check reads ``user``'s roles again (after a change to them)."""
    if hasattr(user, _KEPT):
        delattr(user, _KEPT)


def user_with_roles(user_id: int) -> User | None:
    """The user with ``user_id`` and their open charter roles, in one query (the user loader).
    A user the session holds already, roles and all, costs none."""
    held = db.session.identity_map.get(identity_key(User, user_id))
    if held is not None and getattr(held, _KEPT, None) is not None:
        return held
    rows = db.session.execute(
        select(User, StaffRole.charter_id, StaffRole.role)
        .outerjoin(StaffRole, and_(StaffRole.user_id == User.id, OPEN))
        .where(User.id == user_id)
    ).all()
    if not rows:
        return None
    user = rows[0][0]
    _keep(user, [(charter_id, role) for _, charter_id, role in rows if charter_id is not None])
    return user


def _charter_id(charter: Charter | int | None) -> int | None:
    return charter.id if isinstance(charter, Charter) else charter


def roles_in(user: User | None, charter: Charter | int | None) -> frozenset[str]:
    """The roles ``user`` holds in ``charter``: administrator, assessor, or none."""
    if user is None or getattr(user, "id", None) is None or charter is None:
        return frozenset()
    return _held(user).get(_charter_id(charter), frozenset())


def is_administrator(user: User | None, charter: Charter | int | None) -> bool:
    return ADMINISTRATOR in roles_in(user, charter)


def is_assessor(user: User | None, charter: Charter | int | None) -> bool:
    return ASSESSOR in roles_in(user, charter)


def charters_of(user: User | None) -> list[int]:
    """The ids of the charters ``user`` is staff of, oldest first (no query: read with the
    user's roles)."""
    if user is None or getattr(user, "id", None) is None:
        return []
    return sorted(_held(user))


def is_staff(user: User | None, charter: Charter | int | None) -> bool:
    """An administrator or an assessor of ``charter``: may see its private pages."""
    return bool(roles_in(user, charter))


def is_staff_anywhere(user: User | None) -> bool:
    """Holds a role in some charter, or is a service administrator: scheme staff, whose
    accounts are closed by an administrator and kept by the retention schedule."""
    if user is None or getattr(user, "id", None) is None:
        return False
    return bool(user.service_admin) or bool(_held(user))


def staff_user_ids():
    """The ids of everyone holding a charter role, or a service administrator (a select)."""
    return (
        select(StaffRole.user_id)
        .where(OPEN)
        .union(select(User.id).where(User.service_admin.is_(True)))
    )


def charter_of(organisation: Organisation) -> int | None:
    """The charter whose staff act on ``organisation``: the one it signed, or (registered with
    none) the default charter."""
    signing = signings.signing_of(organisation)
    if signing is not None:
        return signing.charter_id
    return db.session.scalar(select(func.min(Charter.id)))


def people_with(role: str, charter: Charter | int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(StaffRole, StaffRole.user_id == User.id)
            .where(StaffRole.charter_id == _charter_id(charter), StaffRole.role == role, OPEN)
            .order_by(User.full_name, User.id)
        )
    )


def accounts_by_role(charter: Charter | int | None) -> dict[str, int]:
    """How many accounts are staff of ``charter`` in each role, and how many are members of
    the organisations that signed it and staff nowhere (under "member"): another charter's
    signatories' members are not this charter's to count."""
    charter_id = _charter_id(charter)
    by_role = (
        select(StaffRole.role, func.count())
        .where(StaffRole.charter_id == charter_id, OPEN)
        .group_by(StaffRole.role)
    )
    members = (
        select(sa_literal("member"), func.count(func.distinct(Membership.user_id)))
        .join(Signing, Signing.organisation_id == Membership.organisation_id)
        .where(Signing.charter_id == charter_id, Membership.user_id.not_in(staff_user_ids()))
    )
    return dict(db.session.execute(by_role.union_all(members)).all())


def role_labels(user: User) -> list[str]:
    """What ``user`` is, in words for their account page: each role with its charter's name."""
    labels = ["Service administrator"] if user.service_admin else []
    rows = db.session.execute(
        select(StaffRole.role, Charter.name)
        .join(Charter, Charter.id == StaffRole.charter_id)
        .where(StaffRole.user_id == user.id, OPEN)
        .order_by(Charter.id, StaffRole.role)
    ).all()
    labels += [f"{ROLE_NAMES[role][3:].capitalize()}, {name}" for role, name in rows]
    return labels or ["Organisation member"]


def organisations_of(user: User) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.user_id == user.id)
            .order_by(Organisation.name)
        )
    )


# --- Appointing and removing ---------------------------------------------------------------


def candidate(email: str, role: str, charter: Charter) -> User:
    """The user who may be appointed to ``role`` in ``charter``, or StaffChangeRefused."""
    user = user_by_email(email)
    if user is None:
        raise StaffChangeRefused(NO_ACCOUNT)
    if not user.is_verified:
        raise StaffChangeRefused(
            f"{user.full_name} has not confirmed their email address yet. "
            "Ask them to confirm it, then appoint them."
        )
    held = roles_in(user, charter)
    if role in held:
        raise StaffChangeRefused(f"{user.full_name} is already {ROLE_NAMES[role]} of this charter.")
    if held:  # the one who manages the assessors does not assess, and the reverse
        raise StaffChangeRefused(
            f"{user.full_name} is {ROLE_NAMES[next(iter(held))]} of this charter. "
            "Administrators cannot also be assessors: remove the other role first."
        )
    return user


def appoint(
    email: str, role: str, charter: Charter, appointed_by: User | None, *, notify: bool = True
) -> User:
    """Make the person with ``email`` ``role`` of ``charter``; they are told by email."""
    user = candidate(email, role, charter)
    db.session.add(
        StaffRole(
            user_id=user.id,
            charter_id=charter.id,
            role=role,
            appointed_by_id=appointed_by.id if appointed_by is not None else None,
        )
    )
    forget_roles(user)
    if notify:
        notices.staff.appointed(user, role, charter, appointed_by)
    return user


def appoint_assessor(email: str, charter: Charter, appointed_by: User | None) -> User:
    return appoint(email, ASSESSOR, charter, appointed_by)


def appoint_administrator(email: str, charter: Charter, appointed_by: User | None) -> User:
    return appoint(email, ADMINISTRATOR, charter, appointed_by)


def remove(user: User, role: str, charter: Charter, removed_by: User | None) -> None:
    """End ``user``'s ``role`` in ``charter``. A charter keeps at least one administrator."""
    row = db.session.scalar(
        select(StaffRole).where(
            StaffRole.user_id == user.id,
            StaffRole.charter_id == charter.id,
            StaffRole.role == role,
            OPEN,
        )
    )
    if row is None:
        raise StaffChangeRefused(f"{user.full_name} is not {ROLE_NAMES[role]} of this charter.")
    if role == ADMINISTRATOR and _administrators_count(charter) <= 1:
        who = "You are" if removed_by is not None and removed_by.id == user.id else "They are"
        raise StaffChangeRefused(
            f"{who} the charter's only administrator. Appoint another administrator first."
        )
    row.removed_at = utcnow()
    row.removed_by_id = removed_by.id if removed_by is not None else None
    forget_roles(user)


def remove_every_role(user: User, removed_by: User | None = None) -> None:
    """End all of ``user``'s charter roles and service administration (a closed account)."""
    for row in db.session.scalars(select(StaffRole).where(StaffRole.user_id == user.id, OPEN)):
        row.removed_at = utcnow()
        row.removed_by_id = removed_by.id if removed_by is not None else None
    user.service_admin = False
    forget_roles(user)


def _administrators_count(charter: Charter) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(StaffRole)
        .where(StaffRole.charter_id == charter.id, StaffRole.role == ADMINISTRATOR, OPEN)
    )


# --- Service administrators ----------------------------------------------------------------


@dataclass(frozen=True)
class ServiceAdminResult:
    user: User
    created: bool  # False: an existing account was made a service administrator
    already: bool = False


def make_service_admin(
    email: str, full_name: str | None, password_hash: str | None
) -> ServiceAdminResult:
    """Create a verified service administrator, or make the existing account with that email one.

    An existing account keeps its name and password: promoting someone must not lock them out.
    """
    user = user_by_email(email)
    if user is not None:
        # An unconfirmed account may have been opened by someone who does not own the address.
        if not user.is_verified:
            raise StaffChangeRefused(
                f"The account {user.email} has not confirmed its email address, so it cannot be "
                "made a service administrator. Ask them to confirm it first."
            )
        already, user.service_admin = user.service_admin, True
        return ServiceAdminResult(user, created=False, already=already)
    if not full_name or not password_hash:
        raise StaffChangeRefused("A new service administrator needs a full name and a password.")
    now = utcnow()
    user = User(
        email=normalise_email(email),
        full_name=clean_text(full_name),
        password_hash=password_hash,
        service_admin=True,
        email_verified_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    return ServiceAdminResult(user, created=True)
