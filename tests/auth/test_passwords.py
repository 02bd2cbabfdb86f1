"""Forgotten and changed passwords, and the password policy itself."""

import pytest

from charter.services.domain.accounts import check_password, password_problem
from tests.auth.helpers import count_emails, emails_to, last_email_to, link_path, user_with_email
from tests.factories import PASSWORD, make_user, sign_in, submit

NEW_PASSWORD = "violet kettle marmalade"


def ask_for_reset(client, email):
    return submit(client, "/forgotten-password", {"email": email})


def reset(client, path, password=NEW_PASSWORD, confirm=None):
    return submit(
        client,
        path,
        {"password": password, "confirm_password": confirm if confirm is not None else password},
    )


# --- Forgotten password --------------------------------------------------------------------


def test_the_answer_is_the_same_whether_or_not_an_account_exists(client, member):
    pages = []
    for address in (member.email, "nobody@example.com"):
        response = ask_for_reset(client, address)
        assert response.status_code == 302
        pages.append(client.get(response.location).get_data(as_text=True).replace(address, "X"))

    assert pages[0] == pages[1]
    assert "If an account exists" in pages[0]
    assert emails_to("nobody@example.com") == []
    assert last_email_to(member.email).subject == "Reset your password"


def test_a_reset_link_sets_a_new_password_once(client, member):
    ask_for_reset(client, member.email)
    path = link_path(last_email_to(member.email), "/reset-password/")

    response = reset(client, path)

    assert response.status_code == 302
    assert response.location.endswith("/sign-in")
    assert "Your password has been changed" in client.get("/sign-in").get_data(as_text=True)
    user = user_with_email(member.email)
    assert check_password(user.password_hash, NEW_PASSWORD)
    assert last_email_to(member.email).subject == "Your password has been changed"
    sign_in(client, member.email, NEW_PASSWORD)

    # The same link again: refused, and the password stays as it is.
    response = client.get(path)
    assert "This link does not work" in response.get_data(as_text=True)
    assert "csrf_token" not in response.get_data(as_text=True).split("<main", 1)[1]
    response = submit(
        client,
        path,
        {"password": "another fine password", "confirm_password": "another fine password"},
        form_url="/forgotten-password",
    )
    assert "This link does not work" in response.get_data(as_text=True)
    assert check_password(user_with_email(member.email).password_hash, NEW_PASSWORD)


def test_an_expired_reset_link_changes_nothing(client, app, member):
    ask_for_reset(client, member.email)
    path = link_path(last_email_to(member.email), "/reset-password/")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1

    response = client.get(path)

    assert "This link has expired" in response.get_data(as_text=True)
    assert check_password(user_with_email(member.email).password_hash, PASSWORD)


def test_a_reset_follows_the_password_policy(client, member):
    ask_for_reset(client, member.email)
    path = link_path(last_email_to(member.email), "/reset-password/")
    emails_before = count_emails()

    for password, confirm, message in [
        ("too short", None, "Password must be 12 characters or more"),
        ("password1234", None, "Password is too easy to guess"),
        ("owner of the company", None, "Password must not contain your email address"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "Passwords must match"),
    ]:
        response = reset(client, path, password, confirm)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)

    assert check_password(user_with_email(member.email).password_hash, PASSWORD)
    assert count_emails() == emails_before
    assert reset(client, path).status_code == 302, "the link still works after refusals"


def test_following_a_reset_link_confirms_the_address(client):
    make_user(email="new@example.com", verified=False)
    ask_for_reset(client, "new@example.com")

    reset(client, link_path(last_email_to("new@example.com"), "/reset-password/"))

    assert user_with_email("new@example.com").is_verified


# --- Change password -----------------------------------------------------------------------


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return submit(
        client,
        "/account/change-password",
        {
            "current_password": current,
            "password": new,
            "confirm_password": confirm if confirm is not None else new,
        },
    )


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        (
            {"current": "not my password at all"},
            "current_password",
            "Your current password is not correct",
        ),
        ({"current": ""}, "current_password", "Enter your current password"),
        ({"new": "short one"}, "password", "Password must be 12 characters or more"),
        ({"new": "iloveyou1234"}, "password", "Password is too easy to guess"),
        ({"new": "owner owner owner"}, "password", "Password must not contain your email address"),
        ({"confirm": "something else"}, "confirm_password", "Passwords must match"),
    ],
)
def test_change_password_refusals(member_client, member, fields, field_id, message):
    response = change(member_client, **fields)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field_id}"' in page, "the error summary links to the field"
    assert check_password(user_with_email(member.email).password_hash, PASSWORD)
    assert count_emails() == 0


def test_change_password_needs_signing_in(client):
    response = client.get("/account/change-password")
    assert response.status_code == 302
    assert "/sign-in?next=" in response.location


def test_guessing_the_current_password_is_throttled(app, member_client, member):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per 10 minutes"
    for _ in range(2):
        assert change(member_client, current="a wrong guess").status_code == 200

    assert change(member_client).status_code == 429
    assert check_password(user_with_email(member.email).password_hash, PASSWORD)


# --- The policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "violet kettle marmalade", "x" * 128, "Tr0ub4dor&3xyz"],
)
def test_the_policy_accepts_long_uncommon_passwords(password):
    assert password_problem(password, "someone@example.com") is None


def test_a_very_short_email_local_part_is_not_held_against_a_password():
    assert password_problem("a perfectly fine passphrase", "a@example.com") is None
