"""Signing in and out: one message for every failure, throttled failures, safe redirects."""

import pytest
from argon2 import PasswordHasher

from charter.extensions import db
from charter.services.domain.accounts import check_password
from tests.auth.helpers import user_with_email
from tests.factories import PASSWORD, make_user, sign_in, submit

SIGN_IN_FAILED = "Enter a correct email address and password"


def attempt(client, email, password=PASSWORD, url="/sign-in"):
    return submit(client, url, {"email": email, "password": password}, form_url="/sign-in")


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("owner@example.com", "not the right password"),
        ("nobody@example.com", PASSWORD),
    ],
    ids=["wrong password", "unknown email"],
)
@pytest.mark.usefixtures("member")
def test_a_failed_sign_in_gives_one_message_whatever_was_wrong(client, email, password):
    response = attempt(client, email, password)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert SIGN_IN_FAILED in page
    assert "<title>Error: " in page
    assert client.get("/account").status_code == 302, "not signed in"


def test_blank_fields_are_asked_for(client):
    response = attempt(client, "", "")

    page = response.get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your password" in page


@pytest.mark.usefixtures("member")
def test_email_is_matched_whatever_its_case(client):
    response = attempt(client, "  OWNER@Example.com ")
    assert response.status_code == 302


def test_signing_in_starts_a_new_session(client, member):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"

    sign_in(client, member.email)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(member.id)


@pytest.mark.parametrize(
    ("next_url", "expected_end"),
    [
        ("/account", "/account"),
        ("//evil.example/", "/organisations/"),
        ("https://evil.example/", "/organisations/"),
        ("/\\evil.example", "/organisations/"),
        ("javascript:alert(1)", "/organisations/"),
    ],
)
def test_only_same_site_next_addresses_are_followed(client, member, next_url, expected_end):
    from urllib.parse import quote

    response = attempt(client, member.email, url=f"/sign-in?next={quote(next_url, safe='')}")

    assert response.status_code == 302
    assert response.location.endswith(expected_end)
    assert "evil.example" not in response.location


def test_an_old_style_hash_is_upgraded_on_sign_in(client):
    user = make_user(email="old@example.com")
    user.password_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    db.session.commit()
    old_hash = user.password_hash

    sign_in(client, "old@example.com")

    new_hash = user_with_email("old@example.com").password_hash
    assert new_hash != old_hash
    assert "m=1024,t=1,p=1" in new_hash
    assert check_password(new_hash, PASSWORD)


def test_unverified_people_can_sign_in(client):
    make_user(email="new@example.com", verified=False)
    assert attempt(client, "new@example.com").status_code == 302


# --- Throttling -------------------------------------------------------------------------


def test_an_account_is_throttled_after_its_failed_attempts(client, app, member):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 10 minutes"
    app.config["SIGN_IN_LIMIT_PER_IP"] = "10 per 10 minutes"
    other = make_user(email="other@example.com")

    for _ in range(3):
        assert attempt(client, member.email, "wrong password here").status_code == 200

    response = attempt(client, member.email.upper(), PASSWORD)
    assert response.status_code == 429, "throttled even with the right password"
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302, "not signed in"

    assert attempt(app.test_client(), other.email).status_code == 302, "others still sign in"


def test_successful_sign_ins_are_not_counted(app, member):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per 10 minutes"
    app.config["SIGN_IN_LIMIT_PER_IP"] = "2 per 10 minutes"

    for _ in range(4):
        assert attempt(app.test_client(), member.email).status_code == 302


def test_an_address_is_throttled_after_failures_across_accounts(client, app, member):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "5 per 10 minutes"
    app.config["SIGN_IN_LIMIT_PER_IP"] = "4 per 10 minutes"

    for n in range(4):
        assert attempt(client, f"guess{n}@example.com").status_code == 200

    assert attempt(client, "guess9@example.com").status_code == 429, "wrong passwords refused"
    assert attempt(client, member.email, "wrong password here").status_code == 429
    fresh_client = app.test_client()
    fresh_client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert attempt(fresh_client, "guess9@example.com").status_code == 200, "another address is not"


def test_others_failures_from_one_address_do_not_lock_out_the_right_password(app, member):
    """Issue 15: one office behind one address; colleagues mistype, or someone tries to guess."""
    app.config["SIGN_IN_LIMIT_PER_IP"] = "20 per 10 minutes"
    office = app.test_client()
    for n in range(25):
        attempt(office, f"colleague{n % 7}@example.com")

    assert attempt(office, member.email).status_code == 302
    assert office.get("/account").status_code == 200


def test_failures_on_one_account_from_one_address_still_throttle_it(app, member):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 10 minutes"
    office = app.test_client()
    for _ in range(3):
        assert attempt(office, member.email, "wrong password here").status_code == 200

    assert attempt(office, member.email).status_code == 429, "a guess cannot be confirmed"
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert attempt(elsewhere, member.email).status_code == 302, "not locked out from elsewhere"


def test_looking_at_the_sign_in_page_is_not_throttled(client, app):
    app.config["SIGN_IN_LIMIT_PER_IP"] = "1 per 10 minutes"
    for _ in range(3):
        assert client.get("/sign-in").status_code == 200


# --- Signing out and sessions --------------------------------------------------------------


def test_signing_out_ends_the_session(member_client):
    response = submit(member_client, "/sign-out", form_url="/account")

    assert response.status_code == 302
    assert member_client.get("/account").status_code == 302


def test_a_password_change_ends_other_sessions(app, member):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, member.email)
    sign_in(phone, member.email)

    response = submit(
        laptop,
        "/account/change-password",
        {
            "current_password": PASSWORD,
            "password": "violet kettle marmalade",
            "confirm_password": "violet kettle marmalade",
        },
    )

    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200, "the session that changed it carries on"
    assert phone.get("/account").status_code == 302, "the other session has ended"
