"""Creating an account: each refusal says why, and saves and sends nothing."""

import pytest

from charter.services.domain import staff
from tests.auth.helpers import count_emails, count_users, emails_to, user_with_email
from tests.factories import PASSWORD, make_user, submit

TOO_EASY = (
    "Password is too easy to guess. Choose a password that is harder to guess, for example "
    "three random words"
)
NEW_ACCOUNT = {
    "full_name": "Sam Smith",
    "email": "sam.smith@example.com",
    "password": PASSWORD,
    "confirm_password": PASSWORD,
}


def create_account(client, **fields):
    return submit(client, "/create-account", NEW_ACCOUNT | fields)


def test_a_new_account_is_unverified_and_gets_a_confirmation_email(client_request):
    client_request.post(
        "auth.create_account",
        _data=NEW_ACCOUNT,
        _expected_redirect="/create-account/check-your-email",
    )

    user = user_with_email("sam.smith@example.com")
    assert not staff.is_staff_anywhere(user)  # a plain account: staff nowhere
    assert not user.is_verified
    assert user.password_hash != PASSWORD
    [email] = emails_to("sam.smith@example.com")
    assert email.subject == "Confirm your email address"
    assert "http://localhost/verify-email/" in email.body


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"full_name": ""}, {"full_name": "Enter your full name"}),
        ({"full_name": "x" * 201}, {"full_name": "Full name must be 200 characters or fewer"}),
        ({"email": ""}, {"email": "Enter your email address"}),
        (
            {"email": "not-an-email"},
            {"email": "Enter an email address in the correct format, like name@example.com"},
        ),
        (
            {"email": "sam@example"},
            {"email": "Enter an email address in the correct format, like name@example.com"},
        ),
        (
            {"password": "", "confirm_password": ""},
            {"password": "Enter a password", "confirm_password": "Confirm your password"},
        ),
        (
            {"password": "short pass", "confirm_password": "short pass"},
            {"password": "Password must be 12 characters or more"},
        ),
        (
            {"password": "x" * 129, "confirm_password": "x" * 129},
            {"password": "Password must be 128 characters or fewer"},
        ),
        (
            {"password": "password1234", "confirm_password": "password1234"},
            {"password": TOO_EASY},
        ),
        (
            {"password": "Qwerty123456", "confirm_password": "Qwerty123456"},
            {"password": TOO_EASY},
        ),
        (
            {"password": "sam.smith rides again", "confirm_password": "sam.smith rides again"},
            {"password": "Password must not contain your email address"},
        ),
        ({"confirm_password": ""}, {"confirm_password": "Confirm your password"}),
        ({"confirm_password": PASSWORD + "!"}, {"confirm_password": "Passwords must match"}),
    ],
)
def test_refusals_explain_and_save_nothing(client_request, fields, errors):
    page = client_request.post(
        "auth.create_account", _data=NEW_ACCOUNT | fields, _expected_status=200
    )

    assert client_request.error_summary(page) == list(errors.values())
    assert client_request.field_errors(page) == errors
    assert page.title.get_text().startswith("Error: ")
    assert count_users() == 0
    assert count_emails() == 0


def test_a_taken_address_is_not_disclosed_and_its_owner_is_told(client):
    make_user(email="taken@example.com", full_name="Tara Taken")
    fresh = create_account(client, email="fresh@example.com")
    fresh_page = client.get(fresh.location).get_data(as_text=True)
    taken = create_account(client, email="  TAKEN@example.com ", full_name="Someone Else")
    taken_page = client.get(taken.location).get_data(as_text=True)

    assert taken.status_code == fresh.status_code == 302
    assert taken.location == fresh.location
    assert "Check your email" in taken_page
    assert taken_page.replace("taken@example.com", "fresh@example.com") == fresh_page
    assert count_users() == 2, "no second account for the taken address"
    [email] = emails_to("taken@example.com")
    assert email.subject == "You already have an account"
    assert "Dear Tara Taken" in email.body
    assert "http://localhost/sign-in" in email.body
    assert "http://localhost/forgotten-password" in email.body
    assert "verify-email" not in email.body


def test_a_form_without_its_csrf_token_is_refused(client):
    response = client.post(
        "/create-account",
        data={
            "full_name": "Sam Smith",
            "email": "sam.smith@example.com",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )

    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)
    assert count_users() == 0
    assert count_emails() == 0


def test_signed_in_people_are_sent_to_their_account(member_client):
    response = member_client.get("/create-account")
    assert response.status_code == 302
    assert response.location.endswith("/account")
