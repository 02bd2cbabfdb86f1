"""A commissioner's contract managers: invited by an administrator, accepted by the person.

Invitations work as an organisation's do (signed, expiring link; the rules of
:mod:`charter.services.domain.invitation_tokens`, with their own salt). A manager is removed by
setting ``removed_at``, so what they confirmed still names them.

Functions add to the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import (
    Commissioner,
    ContractManager,
    ContractManagerInvitation,
    Membership,
    User,
)
from charter.models.base import utcnow
from charter.services import notices
from charter.services.domain import invitation_tokens
from charter.services.domain.refusals import Refused

CONTRACT_MANAGER_INVITATION_SALT = "contract-manager-invitation"


class ContractManagerRefused(Refused):
    """An invitation or removal that may not happen; the message says why."""


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
    if user.role != "member":
        return False
    has_membership = db.session.scalar(
        select(Membership.id).where(Membership.user_id == user.id).limit(1)
    )
    if has_membership is not None:
        return False
    return bool(is_contract_manager(user) or open_invitations_for(user.email))


# --- invitations ----------------------------------------------------------------------------


def open_invitations_of(commissioner: Commissioner) -> list[ContractManagerInvitation]:
    """Invitations not accepted or cancelled, expired ones included (the page says so)."""
    return list(
        db.session.scalars(
            select(ContractManagerInvitation)
            .options(joinedload(ContractManagerInvitation.invited_by))
            .where(
                ContractManagerInvitation.commissioner_id == commissioner.id,
                ContractManagerInvitation.accepted_at.is_(None),
                ContractManagerInvitation.cancelled_at.is_(None),
            )
            .order_by(ContractManagerInvitation.created_at, ContractManagerInvitation.id)
        )
    )


def open_invitations_for(email: str) -> list[ContractManagerInvitation]:
    """Invitations to ``email`` that can still be accepted, commissioners loaded."""
    return list(
        db.session.scalars(
            select(ContractManagerInvitation)
            .options(joinedload(ContractManagerInvitation.commissioner))
            .where(
                func.lower(ContractManagerInvitation.email) == email.lower(),
                ContractManagerInvitation.accepted_at.is_(None),
                ContractManagerInvitation.cancelled_at.is_(None),
                ContractManagerInvitation.created_at >= invitation_tokens.cutoff(),
            )
            .order_by(ContractManagerInvitation.created_at, ContractManagerInvitation.id)
        )
    )


def invitation_token(invitation: ContractManagerInvitation) -> str:
    return invitation_tokens.token_for(invitation, CONTRACT_MANAGER_INVITATION_SALT)


def invitation_from_token(token: str) -> ContractManagerInvitation:
    """The invitation the link names, commissioner and inviter loaded; or InvitationLinkError."""
    return invitation_tokens.invitation_from_token(
        token,
        CONTRACT_MANAGER_INVITATION_SALT,
        ContractManagerInvitation,
        ContractManagerInvitation.commissioner,
        ContractManagerInvitation.invited_by,
    )


def _current_manager(commissioner_id: int, email: str) -> ContractManager | None:
    return db.session.scalar(
        select(ContractManager)
        .join(ContractManager.user)
        .where(
            ContractManager.commissioner_id == commissioner_id,
            ContractManager.removed_at.is_(None),
            func.lower(User.email) == email.lower(),
        )
    )


def invite(commissioner: Commissioner, email: str, invited_by: User) -> ContractManagerInvitation:
    """Record an invitation and email its link; ContractManagerRefused if it is pointless."""
    email = email.strip()
    if not commissioner.is_active:
        raise ContractManagerRefused(
            f"{commissioner.name} is no longer on the list. Reactivate it first"
        )
    if _current_manager(commissioner.id, email) is not None:
        raise ContractManagerRefused(
            f"{email} is already a contract manager for {commissioner.name}"
        )
    already_invited = db.session.scalar(
        select(ContractManagerInvitation.id).where(
            ContractManagerInvitation.commissioner_id == commissioner.id,
            func.lower(ContractManagerInvitation.email) == email.lower(),
            ContractManagerInvitation.accepted_at.is_(None),
            ContractManagerInvitation.cancelled_at.is_(None),
            ContractManagerInvitation.created_at >= invitation_tokens.cutoff(),
        )
    )
    if already_invited is not None:
        raise ContractManagerRefused(
            f"{email} has already been invited. Cancel that invitation to send a new one"
        )
    invitation = ContractManagerInvitation(
        commissioner_id=commissioner.id, email=email, invited_by_id=invited_by.id
    )
    db.session.add(invitation)
    db.session.flush()
    notices.contracts.manager_invited(
        commissioner,
        email,
        invited_by,
        invitation_token(invitation),
        valid_days=invitation_tokens.valid_days(),
    )
    return invitation


def cancel_invitation(
    commissioner: Commissioner, invitation_id: int
) -> ContractManagerInvitation | None:
    """Cancel an open invitation of this commissioner; None if there is no such invitation."""
    invitation = db.session.scalar(
        select(ContractManagerInvitation).where(
            ContractManagerInvitation.id == invitation_id,
            ContractManagerInvitation.commissioner_id == commissioner.id,
        )
    )
    if invitation is None or not invitation.is_open:
        return None
    invitation.cancelled_at = utcnow()
    return invitation


@dataclass(frozen=True)
class Acceptance:
    manager: ContractManager
    already: bool  # they were a manager already (accepted twice, or invited twice)


def accept(invitation: ContractManagerInvitation, user: User) -> Acceptance:
    refused = invitation_tokens.refusal(invitation, user)
    if refused is not None:
        raise ContractManagerRefused(refused)
    invitation.accepted_at = utcnow()
    manager = db.session.scalar(
        select(ContractManager).where(
            ContractManager.commissioner_id == invitation.commissioner_id,
            ContractManager.user_id == user.id,
        )
    )
    if manager is not None and manager.removed_at is None:
        return Acceptance(manager, already=True)
    if manager is not None:
        # Removed before and invited again: the same row comes back, history kept in audit.
        manager.removed_at = None
        manager.invited_by_id = invitation.invited_by_id
        return Acceptance(manager, already=False)
    manager = ContractManager(
        commissioner_id=invitation.commissioner_id,
        user_id=user.id,
        invited_by_id=invitation.invited_by_id,
    )
    db.session.add(manager)
    return Acceptance(manager, already=False)


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
