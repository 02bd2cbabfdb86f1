"""A commissioner's contract managers: who manages what, and removing one. They are invited by
an administrator and accept as anyone invited does (charter.services.domain.invitations). A
manager is removed by setting ``removed_at``, so what they confirmed still names them.

Functions add to the session and never commit.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Commissioner, ContractManager, Membership, User
from charter.models.base import utcnow
from charter.models.invitation import CONTRACT_MANAGER
from charter.services.domain import invitations, staff
from charter.services.domain.refusals import Refused


class ContractManagerRefused(Refused):
    """A removal that may not happen; the message says why."""


# --- who manages what -----------------------------------------------------------------------


def active_managers_of(commissioner: Commissioner) -> list[ContractManager]:
    return list(
        db.session.scalars(
            select(ContractManager)
            .join(ContractManager.user)
            .options(joinedload(ContractManager.user))
            .where(
                ContractManager.commissioner_id == commissioner.id,
                ContractManager.removed_at.is_(None),
            )
            .order_by(User.full_name, User.id)
        )
    )


def commissioner_ids_managed_by(user: User | None) -> list[int]:
    """The commissioners ``user`` is a current contract manager for (empty for anyone else)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(ContractManager.commissioner_id)
            .where(ContractManager.user_id == user.id, ContractManager.removed_at.is_(None))
            .order_by(ContractManager.commissioner_id)
        )
    )


def commissioners_managed_by(user: User) -> list[Commissioner]:
    return list(
        db.session.scalars(
            select(Commissioner)
            .join(ContractManager, ContractManager.commissioner_id == Commissioner.id)
            .where(ContractManager.user_id == user.id, ContractManager.removed_at.is_(None))
            .order_by(func.lower(Commissioner.name), Commissioner.id)
        )
    )


def is_contract_manager(user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(ContractManager.id)
        .where(ContractManager.user_id == user.id, ContractManager.removed_at.is_(None))
        .limit(1)
    )
    return found is not None


def lands_on_work_list(user: User) -> bool:
    """Whether signing in takes the person to the contract managers' work list: someone who
    is only a contract manager, or who has nothing yet but a contract manager invitation."""
    if staff.is_staff_anywhere(user):
        return False
    has_membership = db.session.scalar(
        select(Membership.id).where(Membership.user_id == user.id).limit(1)
    )
    if has_membership is not None:
        return False
    return bool(
        is_contract_manager(user) or invitations.open_invitations_for(user.email, CONTRACT_MANAGER)
    )


def remove_manager(commissioner: Commissioner, manager_id: int) -> User:
    manager = db.session.scalar(
        select(ContractManager)
        .options(joinedload(ContractManager.user))
        .where(
            ContractManager.id == manager_id,
            ContractManager.commissioner_id == commissioner.id,
            ContractManager.removed_at.is_(None),
        )
    )
    if manager is None:
        raise ContractManagerRefused(
            f"That person is not a contract manager for {commissioner.name}"
        )
    manager.removed_at = utcnow()
    return manager.user
