"""Confirming an email address, and the pages that need a confirmed one."""

import time

import pytest
from flask import Flask
from flask_login import login_required, login_user
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.exceptions import Forbidden

from charter.auth.decorators import staff_required, verified_required
from charter.services.domain.accounts import VERIFY_EMAIL_SALT, verification_token
from tests.auth.helpers import count_emails, emails_to, last_email_to, link_path, user_with_email
from tests.factories import make_user, sign_in, submit


def expired_verification_token(app: Flask, user) -> str:
    seconds_ago = app.config["EMAIL_VERIFY_MAX_AGE"] + 60

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=VERIFY_EMAIL_SALT, signer=PastSigner
    )
    return serializer.dumps({"user_id": user.id, "email": user.email})


def test_the_emailed_link_confirms_the_address(client, app):
    user = make_user(email="new@example.com", verified=False)
    with app.test_request_context():
        token = verification_token(user)

    response = client.get(f"/verify-email/{token}")

    assert response.status_code == 302
    assert response.location.endswith("/sign-in")
    assert user_with_email("new@example.com").email_verified_at is not None


def test_a_link_opened_in_another_browser_signs_no_one_in_but_fills_in_the_email(app, client):
    signing_up = app.test_client()
    submit(
        signing_up,
        "/create-account",
        {
            "full_name": "Ann Other",
            "email": "ann@example.com",
            "password": "correct horse battery staple",
            "confirm_password": "correct horse battery staple",
        },
    )
    link = link_path(last_email_to("ann@example.com"), "/verify-email/")

    response = client.get(link)  # another browser: a phone's mail app, say

    assert response.location.endswith("/sign-in")
    assert client.get("/account").status_code == 302, "not signed in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Your email address is confirmed. Sign in to continue." in page
    assert 'value="ann@example.com"' in page
    assert 'value="ann@example.com"' not in client.get("/sign-in").get_data(as_text=True)
    assert user_with_email("ann@example.com").email_verified_at is not None


def test_the_link_signs_in_only_once(client):
    submit(
        client,
        "/create-account",
        {
            "full_name": "Ann Other",
            "email": "ann@example.com",
            "password": "correct horse battery staple",
            "confirm_password": "correct horse battery staple",
        },
    )
    link = link_path(last_email_to("ann@example.com"), "/verify-email/")
    assert client.get(link).location.endswith("/organisations/")
    assert client.get("/account").status_code == 200
    submit(client, "/sign-out", form_url="/account")
    assert client.get("/account").status_code == 302
    # This browser asks for the link again, as it did when the account was created.
    submit(client, "/resend-verification-email", {"email": "ann@example.com"})
    with client.session_transaction() as flask_session:
        assert flask_session["email_sent_to"] == "ann@example.com"

    again = client.get(link)

    assert again.location.endswith("/sign-in")
    assert client.get("/account").status_code == 302, "a used link is not a way in"


def test_a_signed_in_person_goes_back_to_their_account(client):
    user = make_user(email="new@example.com", verified=False)
    sign_in(client, user.email)
    submit(client, "/resend-verification-email")

    response = client.get(link_path(last_email_to(user.email), "/verify-email/"))

    assert response.location.endswith("/account")
    assert "Your email address is confirmed" in client.get("/account").get_data(as_text=True)


def test_an_expired_link_confirms_nothing_and_offers_a_new_one(client, app):
    user = make_user(email="late@example.com", verified=False)

    response = client.get(f"/verify-email/{expired_verification_token(app, user)}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This link has expired" in page
    assert 'action="/resend-verification-email"' in page
    assert user_with_email("late@example.com").email_verified_at is None

    response = submit(
        client,
        "/resend-verification-email",
        {"email": "late@example.com"},
        form_url=f"/verify-email/{expired_verification_token(app, user)}",
    )
    assert response.status_code == 302
    new_link = link_path(last_email_to("late@example.com"), "/verify-email/")
    client.get(new_link)
    assert user_with_email("late@example.com").email_verified_at is not None


def test_a_tampered_link_does_not_work(client):
    user = make_user(email="new@example.com", verified=False)

    response = client.get("/verify-email/not-a-real-token")

    assert "This link does not work" in response.get_data(as_text=True)
    assert user_with_email(user.email).email_verified_at is None


def test_a_link_with_max_age_exceeded_by_configuration_is_expired(client, app):
    user = make_user(email="new@example.com", verified=False)
    with app.test_request_context():
        token = verification_token(user)
    app.config["EMAIL_VERIFY_MAX_AGE"] = -1

    response = client.get(f"/verify-email/{token}")

    assert "This link has expired" in response.get_data(as_text=True)
    assert user_with_email(user.email).email_verified_at is None


def test_asking_for_a_new_link_answers_the_same_whoever_asks(client):
    make_user(email="verified@example.com", verified=True)
    make_user(email="unverified@example.com", verified=False)

    pages = []
    for address in ("verified@example.com", "unverified@example.com", "nobody@example.com"):
        response = submit(client, "/resend-verification-email", {"email": address})
        assert response.status_code == 302
        page = client.get(response.location).get_data(as_text=True)
        pages.append(page.replace(address, "ADDRESS"))

    assert pages[0] == pages[1] == pages[2]
    assert emails_to("verified@example.com") == []
    assert emails_to("nobody@example.com") == []
    assert len(emails_to("unverified@example.com")) == 1


def test_asking_for_a_new_link_needs_a_valid_address(client):
    response = submit(client, "/resend-verification-email", {"email": "nonsense"})

    assert "Enter an email address in the correct format" in response.get_data(as_text=True)
    assert count_emails() == 0


# --- The decorators, in a request context --------------------------------------------------


def _view():
    return "the protected page"


def test_verified_required_sends_an_unverified_person_to_confirm(app):
    user = make_user(verified=False)
    with app.test_request_context("/organisations/"):
        login_user(user)
        response = login_required(verified_required(_view))()

    assert response.status_code == 302
    assert response.location.endswith("/confirm-your-email-address")


def test_verified_required_lets_a_verified_person_through(app):
    user = make_user(verified=True)
    with app.test_request_context("/organisations/"):
        login_user(user)
        assert login_required(verified_required(_view))() == "the protected page"


def test_verified_required_alone_sends_anonymous_people_to_sign_in(app):
    with app.test_request_context("/organisations/"):
        response = verified_required(_view)()

    assert response.status_code == 302
    assert "/sign-in?next=" in response.location


def test_staff_required_refuses_other_roles(app, scheme):
    member = make_user(role="member")
    admin = make_user(role="admin")
    admin_only = staff_required("administrator")(_view)
    with app.test_request_context("/admin/"):
        login_user(member)
        with pytest.raises(Forbidden):
            admin_only()
    with app.test_request_context("/admin/"):
        login_user(admin)
        assert admin_only() == "the protected page"


def test_staff_required_sends_anonymous_people_to_sign_in(app):
    with app.test_request_context("/admin/"):
        response = staff_required("administrator", "assessor")(_view)()

    assert response.status_code == 302
    assert "/sign-in?next=" in response.location


def test_the_confirm_page_offers_a_new_link(client):
    user = make_user(email="new@example.com", verified=False)
    sign_in(client, user.email)

    page = client.get("/confirm-your-email-address").get_data(as_text=True)
    assert "Confirm your email address" in page
    assert "new@example.com" in page

    response = submit(client, "/resend-verification-email", form_url="/confirm-your-email-address")
    assert response.status_code == 302
    assert last_email_to("new@example.com").subject == "Confirm your email address"


def test_the_confirm_page_sends_verified_people_on(member_client):
    response = member_client.get("/confirm-your-email-address")
    assert response.status_code == 302
    assert response.location.endswith("/organisations/")
