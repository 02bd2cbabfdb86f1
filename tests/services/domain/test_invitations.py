"""The one invitation flow, for every kind: who may not be invited, who may not accept and
why, what accepting gives each kind, and which links open which invitation (one contract
manager link from before the tables were merged among them)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import ContractManager, Invitation, Membership
from charter.models.base import utcnow
from charter.models.invitation import CONTRACT_MANAGER, MEMBER
from charter.services.domain import invitation_tokens, invitations
from charter.services.domain.invitation_tokens import InvitationLinkError
from charter.services.domain.invitations import InvitationRefused
from tests.factories import make_commissioner, make_user


@pytest.fixture
def targets(app, organisation, member):
    """Who invites, and what to: {kind: (target, inviter)}."""
    admin = make_user(email="admin@example.com", role="admin")
    council = make_commissioner("Shropshire Council")
    db.session.commit()
    return {MEMBER: (organisation, member), CONTRACT_MANAGER: (council, admin)}


def _invite(targets, kind: str, email: str = "new@example.com") -> Invitation:
    target, inviter = targets[kind]
    invitation = invitations.invite(kind, target, email, inviter)
    db.session.commit()
    return invitation


def _give(kind: str, target, user) -> None:
    """Make ``user`` hold what an invitation of ``kind`` gives."""
    if kind == MEMBER:
        db.session.add(Membership(user_id=user.id, organisation_id=target.id, role="contributor"))
    else:
        db.session.add(ContractManager(commissioner_id=target.id, user_id=user.id))
    db.session.commit()


# --- inviting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "before", "message"),
    [
        (MEMBER, "holds", "New@Example.com is already a member of"),
        (MEMBER, "invited", "New@Example.com has already been invited. Cancel that invitation"),
        (CONTRACT_MANAGER, "holds", "New@Example.com is already a contract manager for"),
        (CONTRACT_MANAGER, "invited", "New@Example.com has already been invited. Cancel that"),
        (CONTRACT_MANAGER, "unlisted", "Shropshire Council is no longer on the list"),
    ],
)
def test_an_invitation_that_would_be_pointless_is_refused(targets, kind, before, message):
    target, inviter = targets[kind]
    if before == "holds":
        _give(kind, target, make_user(email="NEW@example.com"))
    elif before == "invited":
        _invite(targets, kind)
    else:
        target.is_active = False
    count = len(db.session.scalars(select(Invitation.id)).all())
    with pytest.raises(InvitationRefused, match=message):
        invitations.invite(kind, target, " New@Example.com ", inviter)
    assert len(db.session.scalars(select(Invitation.id)).all()) == count


@pytest.mark.parametrize("kind", [MEMBER, CONTRACT_MANAGER])
def test_an_expired_or_cancelled_invitation_does_not_stop_a_new_one(targets, kind):
    first = _invite(targets, kind)
    first.created_at = utcnow() - timedelta(days=15)
    db.session.commit()
    second = _invite(targets, kind)
    target, _ = targets[kind]
    assert invitations.cancel(kind, target, second.id) == second
    assert invitations.cancel(kind, target, second.id) is None  # not open any more
    assert _invite(targets, kind).is_open
    # Another kind's target with the same id cancels nothing.
    other = CONTRACT_MANAGER if kind == MEMBER else MEMBER
    assert invitations.cancel(other, SimpleNamespace(id=target.id), first.id) is None


# --- accepting --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [MEMBER, CONTRACT_MANAGER])
@pytest.mark.parametrize(
    ("state", "refusal"),
    [
        ("wrong account", invitation_tokens.DIFFERENT_ADDRESS),
        ("accepted", invitation_tokens.NO_LONGER_ACCEPTABLE),
        ("cancelled", invitation_tokens.NO_LONGER_ACCEPTABLE),
        ("expired", invitation_tokens.NO_LONGER_ACCEPTABLE),
    ],
)
def test_who_may_not_accept_and_why(targets, kind, state, refusal):
    invitation = _invite(targets, kind)
    user = make_user(
        email="stranger@example.com" if state == "wrong account" else "NEW@example.com"
    )
    if state == "accepted":
        invitation.accepted_at = utcnow()
    elif state == "cancelled":
        invitation.cancelled_at = utcnow()
    elif state == "expired":
        invitation.created_at = utcnow() - timedelta(days=15)
    with pytest.raises(InvitationRefused, match=refusal):
        invitations.accept(invitation, user)
    assert not invitations.holds(invitation, user)


@pytest.mark.parametrize(
    ("kind", "given"),
    [(MEMBER, Membership), (CONTRACT_MANAGER, ContractManager)],
)
def test_accepting_gives_what_the_kind_is_to(targets, kind, given):
    invitation = _invite(targets, kind)
    user = make_user(email="new@example.com")
    assert not invitations.holds(invitation, user)
    granted = invitations.accept(invitation, user)
    db.session.commit()
    assert isinstance(granted, given) and granted.user_id == user.id
    assert invitations.holds(invitation, user) and invitation.accepted_at is not None
    if kind == MEMBER:
        assert granted.role == "contributor"


def test_a_removed_contract_manager_invited_again_comes_back(targets):
    council, _ = targets[CONTRACT_MANAGER]
    user = make_user(email="new@example.com")
    _give(CONTRACT_MANAGER, council, user)
    manager = db.session.scalar(select(ContractManager))
    manager.removed_at = utcnow()
    invitation = _invite(targets, CONTRACT_MANAGER)
    assert invitations.accept(invitation, user) == manager
    assert manager.removed_at is None and manager.invited_by_id == invitation.invited_by_id


def test_why_an_invitation_can_no_longer_be_accepted(targets):
    invitation = _invite(targets, MEMBER)
    assert invitation_tokens.unavailable_reason(invitation) is None
    invitation.created_at = utcnow() - timedelta(days=15)
    assert invitation_tokens.unavailable_reason(invitation) == "expired"
    invitation.cancelled_at = utcnow()
    assert invitation_tokens.unavailable_reason(invitation) == "cancelled"
    invitation.accepted_at = utcnow()
    assert invitation_tokens.unavailable_reason(invitation) == "accepted"


# --- links ------------------------------------------------------------------------------------


def test_a_token_opens_its_own_invitation_with_its_target_loaded(targets):
    for kind, (target, _) in targets.items():
        invitation = _invite(targets, kind)
        db.session.expire_all()
        opened = invitations.from_token(invitations.token_for(invitation))
        assert opened.id == invitation.id and opened.target.name == target.name


def test_a_token_for_a_row_that_is_gone_or_too_old_is_refused(app, targets):
    invitation = _invite(targets, MEMBER)
    token = invitations.token_for(invitation)
    app.config["INVITATION_MAX_AGE"] = -1
    with pytest.raises(InvitationLinkError) as error:
        invitations.from_token(token)
    assert error.value.expired is True
    app.config["INVITATION_MAX_AGE"] = 3600
    db.session.delete(invitation)
    db.session.commit()
    with pytest.raises(InvitationLinkError) as error:
        invitations.from_token(token)
    assert error.value.expired is False


def legacy_token(old_id: int) -> str:
    """A contract manager link as emailed before the tables were merged: its own salt, naming
    the row's id in contract_manager_invitations."""
    return invitation_tokens.token_for(SimpleNamespace(id=old_id), invitations.LEGACY_MANAGER_SALT)


def test_a_contract_manager_link_from_before_the_merge_opens_its_invitation(targets):
    invitation = _invite(targets, CONTRACT_MANAGER)
    member_invitation = _invite(targets, MEMBER, "other@example.com")
    invitation.legacy_id = 7
    db.session.commit()
    assert invitations.from_token(legacy_token(7)) == invitation
    # It names the old table's ids: never a member invitation's, nor a row it does not name.
    for old_id in (member_invitation.id, invitation.id, 8):
        with pytest.raises(InvitationLinkError) as error:
            invitations.from_token(legacy_token(old_id))
        assert error.value.expired is False
