"""The whole account journey through HTTP, as a person would take it."""

from charter.services.domain import staff
from charter.services.domain.accounts import check_password
from tests.auth.helpers import last_email_to, link_path, user_with_email
from tests.factories import submit

NEW_PASSWORD = "violet kettle marmalade"


def test_create_verify_sign_in_change_password_and_sign_out(client):
    assert client.get("/create-account").status_code == 200

    response = submit(
        client,
        "/create-account",
        {
            "full_name": "Priya Patel",
            "email": "  Priya.Patel@Example.COM ",
            "password": "correct horse battery staple",
            "confirm_password": "correct horse battery staple",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/create-account/check-your-email")
    page = client.get(response.location).get_data(as_text=True)
    assert "Check your email" in page
    assert "priya.patel@example.com" in page

    user = user_with_email("priya.patel@example.com")
    assert user is not None, "the address is stored stripped and lower-cased"
    assert user.full_name == "Priya Patel"
    assert not staff.is_staff_anywhere(user)  # a plain account: staff nowhere
    assert user.email_verified_at is None

    email = last_email_to("priya.patel@example.com")
    assert email.subject == "Confirm your email address"
    # Confirming in the browser that created the account signs the person in.
    response = client.get(link_path(email, "/verify-email/"))
    assert response.status_code == 302
    assert response.location.endswith("/organisations/")
    landing = client.get(response.location).get_data(as_text=True)
    assert "Your email address is confirmed. You are signed in." in landing
    assert user_with_email("priya.patel@example.com").email_verified_at is not None

    account = client.get("/account").get_data(as_text=True)
    for expected in ("Priya Patel", "priya.patel@example.com", "Organisation member"):
        assert expected in account
    assert 'href="/account/change-password"' in account

    response = submit(
        client,
        "/account/change-password",
        {
            "current_password": "correct horse battery staple",
            "password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/account")
    assert "Your password has been changed" in client.get("/account").get_data(as_text=True)
    user = user_with_email("priya.patel@example.com")
    assert check_password(user.password_hash, NEW_PASSWORD)
    assert last_email_to(user.email).subject == "Your password has been changed"

    response = submit(client, "/sign-out", form_url="/account")
    assert response.status_code == 302
    assert response.location.endswith("/")
    assert "You have signed out" in client.get("/").get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_anonymous_person_is_sent_to_sign_in_and_back(client, member):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.location.endswith("/sign-in?next=%2Faccount")

    response = submit(
        client,
        "/sign-in?next=%2Faccount",
        {"email": member.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.location.endswith("/account")
    assert "Olive Owner" in client.get("/account").get_data(as_text=True)


def test_sign_out_needs_a_csrf_token(member_client):
    response = member_client.post("/sign-out")
    assert response.status_code == 400
    assert member_client.get("/account").status_code == 200, "still signed in"
