"""Sessions end on the server, not only in the browser (issue 11, item 12)."""

from __future__ import annotations

from charter.extensions import db
from charter.models import User
from tests.factories import PASSWORD, sign_in, submit

NEW_PASSWORD = "violet kettle marmalade"


def _copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie, as a thief would."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
    assert thief.get("/account").status_code == 200, "the copy works while the session lives"
    return thief


def test_a_cookie_copied_before_sign_out_stops_working(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    thief = _copy_of(app, client)

    submit(client, "/sign-out", form_url="/account")

    assert thief.get("/account").status_code == 302
    assert client.get("/account").status_code == 302


def test_sign_out_everywhere_ends_every_session(app, member):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, member.email)
    sign_in(phone, member.email)
    thief = _copy_of(app, phone)
    assert "Sign out everywhere" in laptop.get("/account").get_data(as_text=True)

    response = submit(laptop, "/account/sign-out-everywhere", form_url="/account")

    assert response.status_code == 302 and response.location.endswith("/sign-in")
    for client in (laptop, phone, thief):
        assert client.get("/account").status_code == 302
    sign_in(phone, member.email)
    assert phone.get("/account").status_code == 200, "signing in again works"


def test_sign_out_everywhere_needs_the_form_token(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    before = db.session.get(User, member.id).session_generation

    assert client.post("/account/sign-out-everywhere").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, member.id).session_generation == before
    assert client.get("/account").status_code == 200


def test_a_password_change_ends_copied_sessions_but_not_this_one(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    thief = _copy_of(app, client)
    form = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }

    assert submit(client, "/account/change-password", form).status_code == 302

    assert client.get("/account").status_code == 200
    assert thief.get("/account").status_code == 302


def test_a_session_from_before_the_generation_existed_is_refused(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    with client.session_transaction() as session:
        del session["session_generation"]

    assert client.get("/account").status_code == 302
