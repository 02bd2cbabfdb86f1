"""Every administration page is for the charter's administrators only."""

import pytest

from tests.factories import make_user, roles_of, submit

ADMIN_PAGES = ["/admin/", "/admin/assessors", "/admin/assessors/appoint", "/admin/organisations"]
ROLES = [
    ("anonymous", "client", None),
    ("member", "member_client", 403),
    ("assessor", "assessor_client", 403),
    ("admin", "admin_client", 200),
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize(("role", "client_fixture", "expected"), ROLES, ids=[r[0] for r in ROLES])
def test_admin_pages_are_for_administrators_only(request, url, role, client_fixture, expected):
    client = request.getfixturevalue(client_fixture)
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/sign-in" in response.location
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "client_fixture", "expected"), ROLES, ids=[r[0] for r in ROLES])
@pytest.mark.usefixtures("scheme")
def test_only_administrators_can_revoke_an_assessor(request, db, role, client_fixture, expected):
    client = request.getfixturevalue(client_fixture)
    target = make_user(email="second.assessor@example.com", role="assessor")
    # Any page with a form carries a valid token: sign-in when signed out, the header otherwise.
    response = submit(
        client,
        f"/admin/assessors/{target.id}/revoke",
        form_url="/sign-in" if role == "anonymous" else "/",
    )
    db.session.refresh(target)
    if role == "anonymous":
        assert response.status_code == 302 and "/sign-in" in response.location
        assert roles_of(target) == {"assessor"}
    elif role == "admin":
        assert response.status_code == 302 and response.location.endswith("/admin/assessors")
        assert roles_of(target) == set()
    else:
        assert response.status_code == expected
        assert roles_of(target) == {"assessor"}


def test_the_administration_link_is_shown_to_administrators_only(admin_client, member_client):
    assert "/admin/" in admin_client.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in member_client.get("/").get_data(as_text=True)
