"""The one invitation page, at each kind's URL: what a link that cannot be used shows, worded
for its kind, with the status codes each URL always gave."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.invitation import CONTRACT_MANAGER, MEMBER
from charter.services.domain import invitations
from tests.factories import make_commissioner, make_user, sign_in

URLS = {MEMBER: "/organisations/invitations/", CONTRACT_MANAGER: "/commissioner/invitations/"}
ASK_AGAIN = {MEMBER: "ask the owner of", CONTRACT_MANAGER: "ask the scheme team to invite you"}


@pytest.fixture
def sent(app, organisation, member):
    """{kind: an open invitation to cara@example.com}."""
    admin = make_user(email="admin@example.com", role="admin")
    council = make_commissioner("Shropshire Council")
    found = {
        MEMBER: invitations.invite(MEMBER, organisation, "cara@example.com", member),
        CONTRACT_MANAGER: invitations.invite(CONTRACT_MANAGER, council, "cara@example.com", admin),
    }
    db.session.commit()
    return found


@pytest.mark.parametrize("kind", [MEMBER, CONTRACT_MANAGER])
@pytest.mark.parametrize(
    ("state", "status", "heading"),
    [
        ("tampered", 404, "This invitation link does not work"),
        ("other kind", 404, "This invitation link does not work"),
        ("expired", 410, "This invitation has expired"),
        ("accepted", 410, "This invitation has already been accepted"),
        ("cancelled", 410, "This invitation has been cancelled"),
        ("wrong account", 403, "This invitation is for another email address"),
    ],
)
def test_a_link_that_cannot_be_used_says_why(app, sent, kind, state, status, heading):
    invitation = sent[kind]
    other = sent[CONTRACT_MANAGER if kind == MEMBER else MEMBER]
    token = invitations.token_for(other if state == "other kind" else invitation)
    if state == "tampered":
        token += "x"
    elif state == "expired":
        invitation.created_at = utcnow() - timedelta(days=15)
    elif state in ("accepted", "cancelled"):
        setattr(invitation, f"{state}_at", utcnow())
    db.session.commit()
    http = app.test_client()
    make_user(email="someone@else.example" if state == "wrong account" else "cara@example.com")
    sign_in(http, "someone@else.example" if state == "wrong account" else "cara@example.com")

    response = http.get(URLS[kind] + token)

    page = response.get_data(as_text=True)
    assert response.status_code == status and heading in page
    if state in ("tampered", "other kind", "expired", "cancelled"):
        assert ASK_AGAIN[kind] in page.lower()


@pytest.mark.parametrize(
    ("kind", "status", "shows"),
    [
        (MEMBER, 302, "/sign-in?next="),  # an organisation's pages are signed in first
        (CONTRACT_MANAGER, 200, "Sign in to accept your invitation"),
    ],
)
def test_someone_signed_out_is_sent_or_told_to_sign_in(app, sent, kind, status, shows):
    response = app.test_client().get(URLS[kind] + invitations.token_for(sent[kind]))
    assert response.status_code == status
    assert shows in (response.headers.get("Location") or response.get_data(as_text=True))
