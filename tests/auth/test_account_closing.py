"""Closing an account: by its holder after a check-your-answers page and their password, or by
an administrator on request with a reason. An only owner passes ownership on first. Sign-in
stops at once, every session ends, and the records say "Former member"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Membership, OutboxEmail, User
from charter.services.domain import account_closing
from tests.factories import PASSWORD, make_organisation, make_user, sign_in, submit


@pytest.fixture
def team(app, scheme):
    owner = make_user(email="olive@example.com", full_name="Olive Owner")
    helper = make_user(email="hal@example.com", full_name="Hal Helper")
    organisation = make_organisation(owner, scheme, name="Alder Ltd", status="signatory")
    db.session.add(Membership(user_id=helper.id, organisation_id=organisation.id))
    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            actor_id=helper.id,
            actor_label=helper.full_name,
            trigger="submit_plan",
            from_state="signatory",
            to_state="plan_submitted",
        )
    )
    db.session.add(OutboxEmail(to_address=helper.email, subject="Hello Hal", body="Hi"))
    db.session.commit()
    return owner, helper, organisation


def test_a_member_closes_their_account_and_every_session_ends(app, team):
    _owner, helper, _organisation = team
    client, other_device = app.test_client(), app.test_client()
    sign_in(client, "hal@example.com")
    sign_in(other_device, "hal@example.com")
    page = client.get("/account/close").get_data(as_text=True)
    assert "Check before you close your account" in page
    assert "hal@example.com" in page and "Alder Ltd (Contributor)" in page

    wrong = submit(client, "/account/close", {"current_password": "not it"})
    assert wrong.status_code == 200
    assert "Your password is not correct" in wrong.get_data(as_text=True)
    empty = submit(client, "/account/close", {"current_password": ""})
    assert "Enter your password to close your account" in empty.get_data(as_text=True)
    assert db.session.get(User, helper.id).closed_at is None

    done = submit(client, "/account/close", {"current_password": PASSWORD})
    assert done.status_code == 200
    assert "Your account is closed" in done.get_data(as_text=True)
    for device in (client, other_device):
        response = device.get("/account")
        assert response.status_code == 302 and "/sign-in" in response.location
    refused = submit(
        app.test_client(), "/sign-in", {"email": "hal@example.com", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in refused.get_data(as_text=True)

    db.session.expire_all()
    closed = db.session.get(User, helper.id)
    assert closed.full_name == account_closing.FORMER_MEMBER
    assert closed.email.endswith("@closed.invalid")
    assert closed.closed_reason == account_closing.REASON_OWN_REQUEST
    assert closed.closed_by_id is None
    assert db.session.scalars(select(Membership).where(Membership.user_id == helper.id)).all() == []
    assert (
        db.session.scalar(select(AuditEvent.actor_label).where(AuditEvent.actor_id == helper.id))
        == account_closing.FORMER_MEMBER
    )
    assert (
        db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "hal@example.com"))
        is None
    )


def test_an_only_owner_passes_ownership_on_first(app, team):
    owner, _helper, organisation = team
    client = app.test_client()
    sign_in(client, "olive@example.com")
    response = client.get("/account/close")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You cannot close your account yet" in page
    assert "You are the only owner of Alder Ltd" in page
    assert f"/organisations/{organisation.slug}/members/transfer" in page
    posted = submit(client, "/account/close", {"current_password": PASSWORD}, form_url="/account")
    assert "You cannot close your account yet" in posted.get_data(as_text=True)
    assert db.session.get(User, owner.id).closed_at is None

    organisation.status = "withdrawn"  # or withdraws the organisation
    db.session.commit()
    assert "Check before you close" in client.get("/account/close").get_data(as_text=True)


def test_staff_ask_an_administrator(app, team):
    make_user(email="assessor@example.com", full_name="Ann Assessor", role="assessor")
    client = app.test_client()
    sign_in(client, "assessor@example.com")
    page = client.get("/account/close").get_data(as_text=True)
    assert "ask another administrator" in page


def test_an_administrator_closes_an_account_on_request_with_a_reason(app, team):
    owner, helper, _organisation = team
    admin = make_user(email="admin@example.com", full_name="Ada Admin", role="admin")
    hal = app.test_client()
    sign_in(hal, "hal@example.com")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    url = f"/admin/people/{helper.id}/close"
    page = client.get(url).get_data(as_text=True)
    assert "Check before you close this account" in page and "hal@example.com" in page

    missing = submit(client, url, {"reason": "  "})
    assert missing.status_code == 200
    assert "Enter why the account is being closed" in missing.get_data(as_text=True)
    assert db.session.get(User, helper.id).closed_at is None
    too_long = submit(client, url, {"reason": "x" * 2001})
    assert "Reason must be 2,000 characters or fewer" in too_long.get_data(as_text=True)

    done = submit(client, url, {"reason": "Asked by email on 1 March"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "The account is closed" in page
    assert "Asked by email on 1 March" in page and "Ada Admin" in page
    db.session.expire_all()
    closed = db.session.get(User, helper.id)
    assert (closed.closed_by_id, closed.closed_reason) == (admin.id, "Asked by email on 1 March")
    assert hal.get("/account").status_code == 302  # their session has ended

    again = client.get(url, follow_redirects=True)
    assert "This account is already closed" in again.get_data(as_text=True)
    owner_page = client.get(f"/admin/people/{owner.id}").get_data(as_text=True)
    assert "They are the only owner of Alder Ltd" in owner_page


def test_an_administrator_cannot_close_their_own_account_from_the_admin_pages(app, team):
    admin = make_user(email="admin@example.com", full_name="Ada Admin", role="admin")
    client = app.test_client()
    sign_in(client, "admin@example.com")
    page = client.get(f"/admin/people/{admin.id}/close", follow_redirects=True)
    assert "You cannot close your own account from here" in page.get_data(as_text=True)
    assert db.session.get(User, admin.id).closed_at is None
