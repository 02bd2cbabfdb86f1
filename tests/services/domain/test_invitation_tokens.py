"""The rules both kinds of invitation share: a token opens only its own kind, and an invitation
says why it can no longer be accepted."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from charter.extensions import db
from charter.models.base import utcnow
from charter.services.domain import contract_managers, invitation_tokens, organisations
from charter.services.domain.invitation_tokens import InvitationLinkError
from tests.factories import make_commissioner, make_user


@pytest.fixture
def both(app, organisation, member):
    """An organisation invitation and a contract manager invitation."""
    invitation = organisations.invite_member(organisation, "new@example.com", member)
    admin = make_user(email="admin@example.com", role="admin")
    manager_invitation = contract_managers.invite(
        make_commissioner("Shropshire Council"), "new@example.com", admin
    )
    db.session.commit()
    return invitation, manager_invitation


def test_a_token_opens_only_its_own_kind_of_invitation(both):
    invitation, manager_invitation = both
    assert organisations.invitation_from_token(organisations.invitation_token(invitation)) == (
        invitation
    )
    manager_token = contract_managers.invitation_token(manager_invitation)
    assert contract_managers.invitation_from_token(manager_token) == manager_invitation
    # Signed for the other kind, naming each kind's own row: refused as a broken link.
    for opens, other_kind in (
        (contract_managers.invitation_from_token, organisations.invitation_token),
        (organisations.invitation_from_token, contract_managers.invitation_token),
    ):
        for row in (invitation, manager_invitation):
            with pytest.raises(InvitationLinkError) as error:
                opens(other_kind(SimpleNamespace(id=row.id)))
            assert error.value.expired is False


def test_a_token_for_a_row_that_is_gone_or_too_old_is_refused(app, both):
    invitation, _ = both
    token = organisations.invitation_token(invitation)
    app.config["INVITATION_MAX_AGE"] = -1
    with pytest.raises(InvitationLinkError) as error:
        organisations.invitation_from_token(token)
    assert error.value.expired is True
    app.config["INVITATION_MAX_AGE"] = 3600
    db.session.delete(invitation)
    db.session.commit()
    with pytest.raises(InvitationLinkError) as error:
        organisations.invitation_from_token(token)
    assert error.value.expired is False


def test_why_an_invitation_can_no_longer_be_accepted(both):
    invitation, _ = both
    stranger = make_user(email="stranger@example.com")
    invited = make_user(email="NEW@example.com")
    assert invitation_tokens.unavailable_reason(invitation) is None
    assert invitation_tokens.refusal(invitation, invited) is None
    assert invitation_tokens.refusal(invitation, stranger) == invitation_tokens.DIFFERENT_ADDRESS

    invitation.created_at = utcnow() - timedelta(days=15)
    assert invitation_tokens.unavailable_reason(invitation) == "expired"
    assert invitation_tokens.refusal(invitation, invited) == invitation_tokens.NO_LONGER_ACCEPTABLE
    invitation.cancelled_at = utcnow()
    assert invitation_tokens.unavailable_reason(invitation) == "cancelled"
    invitation.accepted_at = utcnow()
    assert invitation_tokens.unavailable_reason(invitation) == "accepted"
