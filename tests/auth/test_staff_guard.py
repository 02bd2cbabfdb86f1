"""The blueprint-wide guards: admin and assessor pages check who may see them once, in
``before_request``, and answer as the per-view decorators did (the permission matrix in
tests/permissions checks every page; these check the edges of the guard itself)."""

import pytest

from charter.auth.decorators import staff_guard
from tests.factories import make_user, sign_in


def test_a_guard_needs_a_role():
    with pytest.raises(ValueError):
        staff_guard()


@pytest.mark.parametrize("path", ["/admin/", "/assessor/"])
def test_options_is_answered_as_before_without_signing_in(client, path):
    response = client.options(path)

    assert response.status_code == 200
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/admin/", "/assessor/"])
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_an_unconfirmed_admin_may_use_admin_pages_but_must_confirm_before_assessor_pages(
    app, client, scheme
):
    admin = make_user(role="admin", verified=False)
    sign_in(client, admin.email)

    assert client.get("/admin/").status_code == 200
    response = client.get("/assessor/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/confirm-your-email-address")


def test_a_member_is_refused_both(app, client):
    member = make_user(role="member")
    sign_in(client, member.email)

    assert client.get("/admin/").status_code == 403
    assert client.get("/assessor/").status_code == 403


def test_an_admin_may_look_at_assessor_pages_but_not_decide(app, client, scheme):
    admin = make_user(role="admin")
    sign_in(client, admin.email)

    assert client.get("/assessor/").status_code == 200
    app.config["WTF_CSRF_ENABLED"] = False  # so the answer is the role check's, not the token's
    assert client.post("/assessor/plans/1/decision").status_code == 403
