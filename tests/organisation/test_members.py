"""Members: the list, invitations by email, ownership transfer and removal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db as _db
from charter.models import Invitation, Membership, OutboxEmail
from charter.models.base import utcnow
from tests.factories import make_user, sign_in, submit

LINK_RE = re.compile(r"http://localhost(/organisations/invitations/\S+)")


def members_url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}/members{rest}"


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    return client


def role_of(user, organisation) -> str | None:
    return _db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    )


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def add_contributor(
    organisation, email: str = "colleague@example.com", name: str = "Cal Colleague"
):
    user = make_user(email=email, full_name=name)
    _db.session.add(
        Membership(user_id=user.id, organisation_id=organisation.id, role="contributor")
    )
    _db.session.commit()
    return user


def invite(client, organisation, email: str):
    return submit(client, members_url(organisation, "/invite"), {"email": email})


def invitation_link(email: str) -> str:
    body = _db.session.scalar(
        select(OutboxEmail.body)
        .where(OutboxEmail.to_address == email)
        .order_by(OutboxEmail.id.desc())
    )
    match = LINK_RE.search(body)
    assert match, body
    return match.group(1)


# --- the list ------------------------------------------------------------------------------


def test_the_owner_sees_members_and_the_controls(member_client, organisation):
    add_contributor(organisation)
    html = member_client.get(members_url(organisation)).get_data(as_text=True)
    assert "Olive Owner" in html and "Cal Colleague" in html
    assert html.index("Olive Owner") < html.index("Cal Colleague")
    assert f'href="{members_url(organisation, "/invite")}"' in html
    assert f'href="{members_url(organisation, "/transfer")}"' in html
    assert "Remove<span" in html


def test_a_contributor_sees_members_without_the_controls(app, organisation):
    colleague = add_contributor(organisation)
    response = client_for(app, colleague).get(members_url(organisation))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Olive Owner" in html
    assert "/invite" not in html and "/transfer" not in html and "Remove<span" not in html


# --- inviting and accepting ----------------------------------------------------------------


def test_the_invitation_journey(app, member_client, organisation):
    response = invite(member_client, organisation, " Cal@Example.com ")
    assert response.status_code == 302
    assert response.headers["Location"] == members_url(organisation)
    invitation = _db.session.scalar(select(Invitation))
    assert invitation.email == "cal@example.com"
    assert invitation.is_open
    email = _db.session.scalar(select(OutboxEmail))
    assert email.to_address == "cal@example.com"
    assert organisation.name in email.subject
    assert "Olive Owner has invited you" in email.body
    assert "cal@example.com" in member_client.get(members_url(organisation)).get_data(as_text=True)

    colleague = make_user(email="cal@example.com", full_name="Cal Colleague")
    client = client_for(app, colleague)
    # The invitation waits in their list of organisations too.
    listing = client.get("/organisations/").get_data(as_text=True)
    assert f"{organisation.name} has invited you" in listing
    assert "/organisations/invitations/" in listing

    link = invitation_link("cal@example.com")
    page = client.get(link)
    assert page.status_code == 200
    assert f"Join {organisation.name}" in page.get_data(as_text=True)
    assert role_of(colleague, organisation) is None

    response = submit(client, link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{organisation.slug}"
    assert role_of(colleague, organisation) == "contributor"
    _db.session.refresh(invitation)
    assert invitation.accepted_at is not None

    again = client.get(link)
    assert again.status_code == 410
    assert "already been accepted" in again.get_data(as_text=True)


def test_an_anonymous_visitor_is_asked_to_sign_in_first(client, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    link = invitation_link("cal@example.com")
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    assert "invitations" in response.headers["Location"]


def test_someone_signed_in_with_another_email_cannot_accept(app, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    link = invitation_link("cal@example.com")
    stranger = make_user(email="stranger@example.com")
    client = client_for(app, stranger)

    page = client.get(link)
    assert page.status_code == 403
    assert "This invitation is for another email address" in page.get_data(as_text=True)

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    response = client.post(link, data={"csrf_token": token.group(1)})
    assert response.status_code == 403
    assert role_of(stranger, organisation) is None
    assert _db.session.scalar(select(Invitation.accepted_at)) is None


def test_a_tampered_link_does_not_work(app, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    client = client_for(app, make_user(email="cal@example.com"))
    response = client.get(invitation_link("cal@example.com") + "x")
    assert response.status_code == 404
    assert "This invitation link does not work" in response.get_data(as_text=True)


def test_an_expired_invitation_cannot_be_accepted(app, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    invitation = _db.session.scalar(select(Invitation))
    invitation.created_at = utcnow() - timedelta(days=15)
    _db.session.commit()
    colleague = make_user(email="cal@example.com")
    client = client_for(app, colleague)
    link = invitation_link("cal@example.com")

    assert "/organisations/invitations/" not in client.get("/organisations/").get_data(as_text=True)
    response = client.get(link)
    assert response.status_code == 410
    assert "This invitation has expired" in response.get_data(as_text=True)
    assert role_of(colleague, organisation) is None


def test_an_expired_link_cannot_be_used(app, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    client = client_for(app, make_user(email="cal@example.com"))
    app.config["INVITATION_MAX_AGE"] = -1
    response = client.get(invitation_link("cal@example.com"))
    assert response.status_code == 410
    assert "This invitation has expired" in response.get_data(as_text=True)


def test_the_owner_can_cancel_an_invitation(app, member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    invitation = _db.session.scalar(select(Invitation))
    response = submit(
        member_client,
        members_url(organisation, f"/invitations/{invitation.id}/cancel"),
        form_url=members_url(organisation),
    )
    assert response.status_code == 302
    _db.session.refresh(invitation)
    assert invitation.cancelled_at is not None

    colleague = make_user(email="cal@example.com")
    page = client_for(app, colleague).get(invitation_link("cal@example.com"))
    assert page.status_code == 410
    assert "This invitation has been cancelled" in page.get_data(as_text=True)
    assert role_of(colleague, organisation) is None


def test_a_member_cannot_be_invited_again(member_client, organisation):
    add_contributor(organisation, email="cal@example.com")
    response = invite(member_client, organisation, "CAL@example.com")
    assert response.status_code == 200
    assert "cal@example.com is already a member" in response.get_data(as_text=True)
    assert count(Invitation) == 0
    assert count(OutboxEmail) == 0


def test_an_open_invitation_is_not_sent_twice(member_client, organisation):
    invite(member_client, organisation, "cal@example.com")
    response = invite(member_client, organisation, "cal@example.com")
    assert response.status_code == 200
    assert "cal@example.com has already been invited" in response.get_data(as_text=True)
    assert count(Invitation) == 1
    assert count(OutboxEmail) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address of the person you want to invite"),
        ("not-an-email", "Enter an email address in the correct format, like name@example.com"),
    ],
)
def test_a_bad_email_address_is_refused(member_client, organisation, email, message):
    response = invite(member_client, organisation, email)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Invitation) == 0


def test_a_contributor_cannot_invite(app, organisation):
    colleague = add_contributor(organisation)
    client = client_for(app, colleague)
    assert client.get(members_url(organisation, "/invite")).status_code == 403
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"',
        client.get(members_url(organisation)).get_data(as_text=True),
    ).group(1)
    response = client.post(
        members_url(organisation, "/invite"), data={"email": "x@example.com", "csrf_token": token}
    )
    assert response.status_code == 403
    assert count(Invitation) == 0


# --- ownership and removal -----------------------------------------------------------------


def test_the_owner_transfers_ownership(member_client, member, organisation):
    colleague = add_contributor(organisation)
    page = member_client.get(members_url(organisation, "/transfer")).get_data(as_text=True)
    assert "Cal Colleague (colleague@example.com)" in page
    assert "Olive Owner (" not in page

    response = submit(
        member_client,
        members_url(organisation, "/transfer"),
        {"new_owner": str(colleague.id), "confirm": "y"},
    )
    assert response.status_code == 302
    assert role_of(colleague, organisation) == "owner"
    assert role_of(member, organisation) == "contributor"
    email = _db.session.scalar(select(OutboxEmail))
    assert email.to_address == "colleague@example.com"
    assert "You are now the owner" in email.subject
    # The former owner is now a contributor, with no owner's pages.
    assert member_client.get(members_url(organisation, "/transfer")).status_code == 403


def test_transfer_needs_the_confirmation(member_client, member, organisation):
    colleague = add_contributor(organisation)
    response = submit(
        member_client, members_url(organisation, "/transfer"), {"new_owner": str(colleague.id)}
    )
    assert response.status_code == 200
    assert "Confirm that you understand you will become a contributor" in response.get_data(
        as_text=True
    )
    assert role_of(member, organisation) == "owner"
    assert role_of(colleague, organisation) == "contributor"


@pytest.mark.parametrize("choice", ["", "self", "outsider", "999999"])
def test_transfer_only_to_another_member(member_client, member, organisation, choice):
    add_contributor(organisation)
    outsider = make_user(email="outsider@example.com")
    new_owner = {"self": str(member.id), "outsider": str(outsider.id)}.get(choice, choice)
    response = submit(
        member_client,
        members_url(organisation, "/transfer"),
        {"new_owner": new_owner, "confirm": "y"},
    )
    assert response.status_code == 200
    assert "Select who should become the owner" in response.get_data(as_text=True)
    assert role_of(member, organisation) == "owner"
    assert role_of(outsider, organisation) is None
    assert count(OutboxEmail) == 0


def test_transfer_with_nobody_else_explains_what_to_do(member_client, organisation):
    html = member_client.get(members_url(organisation, "/transfer")).get_data(as_text=True)
    assert "There is nobody else in the organisation yet" in html


def test_a_contributor_cannot_transfer(app, member, organisation):
    colleague = add_contributor(organisation)
    client = client_for(app, colleague)
    assert client.get(members_url(organisation, "/transfer")).status_code == 403
    response = submit(
        client,
        members_url(organisation, "/transfer"),
        {"new_owner": str(colleague.id), "confirm": "y"},
        form_url=members_url(organisation),
    )
    assert response.status_code == 403
    assert role_of(member, organisation) == "owner"
    assert role_of(colleague, organisation) == "contributor"


def test_the_owner_removes_a_contributor(member_client, organisation):
    colleague = add_contributor(organisation)
    membership_id = _db.session.scalar(
        select(Membership.id).where(Membership.user_id == colleague.id)
    )
    response = submit(
        member_client,
        members_url(organisation, f"/{membership_id}/remove"),
        form_url=members_url(organisation),
    )
    assert response.status_code == 302
    assert role_of(colleague, organisation) is None


def test_the_owner_cannot_remove_themselves(member_client, member, organisation):
    membership_id = _db.session.scalar(select(Membership.id).where(Membership.user_id == member.id))
    response = submit(
        member_client,
        members_url(organisation, f"/{membership_id}/remove"),
        form_url=members_url(organisation),
        follow_redirects=True,
    )
    assert "The owner cannot be removed" in response.get_data(as_text=True)
    assert role_of(member, organisation) == "owner"
