"""Who may reach the organisation pages: signed-in, verified people, and only their own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.extensions import db as _db
from charter.models import Invitation, Membership, OutboxEmail
from tests.factories import make_organisation, make_user, sign_in, submit


@pytest.fixture
def other_organisation(scheme):
    """Organisation B, owned by someone else."""
    owner = make_user(email="b-owner@example.com", full_name="Bea Owner")
    return make_organisation(owner=owner, scheme=scheme, name="Other Organisation")


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/",
        "/organisations/new",
        "/organisations/new/check-your-answers",
        "/organisations/{slug}",
        "/organisations/{slug}/members",
        "/organisations/{slug}/members/invite",
        "/organisations/{slug}/members/transfer",
        "/organisations/invitations/some-token",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, organisation, path):
    response = client.get(path.format(slug=organisation.slug))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/",
        "/organisations/{slug}",
        "/organisations/{slug}/members",
    ],
)
def test_unverified_people_are_asked_to_confirm_their_email(app, organisation, path):
    person = make_user(email="unverified@example.com", verified=False)
    _db.session.add(Membership(user_id=person.id, organisation_id=organisation.id, role="owner"))
    _db.session.commit()
    client = app.test_client()
    sign_in(client, person.email)
    response = client.get(path.format(slug=organisation.slug))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/confirm-your-email-address")


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/{slug}",
        "/organisations/{slug}/members",
        "/organisations/{slug}/members/invite",
        "/organisations/{slug}/members/transfer",
    ],
)
def test_a_member_of_another_organisation_gets_not_found(
    member_client, organisation, other_organisation, path
):
    assert member_client.get(path.format(slug=organisation.slug)).status_code == 200
    response = member_client.get(path.format(slug=other_organisation.slug))
    assert response.status_code == 404
    assert "Other Organisation" not in response.get_data(as_text=True)


def test_posting_to_another_organisations_pages_changes_nothing(
    member_client, member, organisation, other_organisation
):
    b_owner_membership = _db.session.scalar(
        select(Membership).where(Membership.organisation_id == other_organisation.id)
    )
    own_page = f"/organisations/{organisation.slug}/members"
    base = f"/organisations/{other_organisation.slug}/members"
    posts = [
        (f"{base}/invite", {"email": "spy@example.com"}),
        (f"{base}/transfer", {"new_owner": str(member.id), "confirm": "y"}),
        (f"{base}/{b_owner_membership.id}/remove", {}),
    ]
    for url, data in posts:
        response = submit(member_client, url, data, form_url=own_page)
        assert response.status_code == 404, url

    assert _db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert _db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0
    _db.session.refresh(b_owner_membership)
    assert b_owner_membership.role == "owner"
    assert (
        _db.session.scalar(
            select(Membership).where(
                Membership.organisation_id == other_organisation.id,
                Membership.user_id == member.id,
            )
        )
        is None
    )


def test_an_owner_cannot_cancel_another_organisations_invitation(
    member_client, organisation, other_organisation
):
    b_owner = make_user(email="b2@example.com")
    invitation = Invitation(
        kind="member",
        organisation_id=other_organisation.id,
        email="x@example.com",
        invited_by_id=b_owner.id,
    )
    _db.session.add(invitation)
    _db.session.commit()
    # Through their own organisation's URL: the invitation is not theirs to cancel.
    response = submit(
        member_client,
        f"/organisations/{organisation.slug}/members/invitations/{invitation.id}/cancel",
        form_url=f"/organisations/{organisation.slug}/members",
    )
    assert response.status_code == 404
    _db.session.refresh(invitation)
    assert invitation.cancelled_at is None


def test_staff_see_an_organisation_but_cannot_manage_it(assessor_client, organisation):
    base = f"/organisations/{organisation.slug}"
    assert assessor_client.get(base).status_code == 200
    members = assessor_client.get(f"{base}/members")
    assert members.status_code == 200
    assert "/invite" not in members.get_data(as_text=True)
    assert assessor_client.get(f"{base}/members/invite").status_code == 404
    assert assessor_client.get(f"{base}/members/transfer").status_code == 404
