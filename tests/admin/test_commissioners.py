"""The managed list of commissioners: who may manage it, adding, changing, deactivating."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.models import Commissioner
from tests.factories import make_commissioner, make_user, sign_in, submit

LIST = "/admin/commissioners"
ADD = "/admin/commissioners/new"


def _commissioners(db) -> list[tuple[str, str | None, bool]]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(Commissioner.name, Commissioner.org_id, Commissioner.is_active).order_by(
                Commissioner.id
            )
        ).all()
    )


@pytest.fixture
def member_only_client(app, scheme):
    make_user(email="plain@example.com")
    client = app.test_client()
    sign_in(client, "plain@example.com")
    return client


@pytest.mark.parametrize(
    ("who", "expected", "expected_edit"),
    # Changing a commissioner's own record is the service's (charter/admin/scope.py): other
    # staff are told nothing of it.
    [("anonymous", 302, 302), ("member", 403, 403), ("assessor", 403, 404), ("admin", 200, 200)],
)
def test_only_administrators_manage_commissioners(
    request, client, db, who, expected, expected_edit
):
    commissioner = make_commissioner("Shropshire Council")
    http = {
        "anonymous": client,
        "member": request.getfixturevalue("member_only_client"),
        "assessor": request.getfixturevalue("assessor_client"),
        "admin": request.getfixturevalue("admin_client"),
    }[who]
    edit = f"{LIST}/{commissioner.id}/edit"
    for path, status in ((LIST, expected), (ADD, expected), (edit, expected_edit)):
        response = http.get(path)
        assert response.status_code == status, path
        if who == "anonymous":
            assert response.headers["Location"].startswith("/sign-in?next=")
    if who != "admin":
        # Posting with a token from a page they can reach changes nothing.
        token_page = "/account" if who != "anonymous" else "/sign-in"
        for path, status in (
            (ADD, expected),
            (f"{LIST}/{commissioner.id}/deactivate", expected_edit),
        ):
            response = submit(http, path, {"name": "Sneaky Council"}, form_url=token_page)
            assert response.status_code == status, path
        assert _commissioners(db) == [("Shropshire Council", None, True)]


def test_an_administrator_adds_and_changes_a_commissioner(admin_client, db):
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert f'href="{LIST}"' in dashboard
    assert "There are no commissioners yet" in admin_client.get(LIST).get_data(as_text=True)

    response = submit(admin_client, ADD, {"name": "  Shropshire Council ", "org_id": "gb-lae-shr"})
    assert response.status_code == 302 and response.location.endswith(LIST)
    assert _commissioners(db) == [("Shropshire Council", "GB-LAE-SHR", True)]
    listing = admin_client.get(LIST).get_data(as_text=True)
    assert "Shropshire Council added to the list of commissioners" in listing
    assert "GB-LAE-SHR" in listing

    commissioner = db.session.scalar(select(Commissioner))
    url = f"{LIST}/{commissioner.id}/edit"
    assert 'value="Shropshire Council"' in admin_client.get(url).get_data(as_text=True)
    response = submit(admin_client, url, {"name": "Shropshire Council", "org_id": ""})
    assert response.status_code == 302
    assert _commissioners(db) == [("Shropshire Council", None, True)]


@pytest.mark.parametrize(
    "org_id",
    [
        "GB-LAE-SHR",
        "GB-COH-01234567",
        "GB-NHS-RXW",
        "GB-NHS-M2L0M",
        "XI-PB-123abc",
        "gb-chc-1123456",
    ],
)
def test_known_and_other_org_id_lists_are_accepted(admin_client, db, org_id):
    response = submit(admin_client, ADD, {"name": "A body", "org_id": org_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [(_name, stored, _active)] = _commissioners(db)
    assert stored.upper() == org_id.upper()


def test_a_companies_house_number_is_padded_like_an_organisation_s(admin_client, db):
    submit(admin_client, ADD, {"name": "A company", "org_id": "GB-COH-1234567"})
    assert _commissioners(db) == [("A company", "GB-COH-01234567", True)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the name of the commissioner"),
        ({"name": "x" * 201}, "Name must be 200 characters or fewer"),
        ({"org_id": "SHR"}, "Enter the org-id in the correct format, like GB-LAE-SHR"),
        ({"org_id": "GB-NHS-"}, "Enter the org-id in the correct format, like GB-LAE-SHR"),
        ({"org_id": "GB-LAE-SHROPS"}, "Enter a local authority code in the correct format"),
        ({"org_id": "GB-COH-ABC"}, "Enter a Companies House number in the correct format"),
    ],
)
def test_invalid_commissioners_are_refused_and_nothing_saved(admin_client, db, data, message):
    response = submit(admin_client, ADD, {"name": "Telford Council", **data})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "<title>Error: " in html
    assert _commissioners(db) == []


def test_a_duplicate_name_is_refused_whatever_its_case(admin_client, db):
    make_commissioner("Shropshire Council")
    other = make_commissioner("Telford Council")
    response = submit(admin_client, ADD, {"name": "SHROPSHIRE council"})
    assert "A commissioner with this name already exists" in response.get_data(as_text=True)
    response = submit(admin_client, f"{LIST}/{other.id}/edit", {"name": "shropshire council"})
    assert "A commissioner with this name already exists" in response.get_data(as_text=True)
    assert _commissioners(db) == [
        ("Shropshire Council", None, True),
        ("Telford Council", None, True),
    ]
    # Keeping its own name (in another case) is not a duplicate.
    response = submit(admin_client, f"{LIST}/{other.id}/edit", {"name": "TELFORD Council"})
    assert response.status_code == 302


def test_a_commissioner_is_deactivated_and_reactivated(admin_client, db):
    commissioner = make_commissioner("Old Health Authority")
    response = submit(admin_client, f"{LIST}/{commissioner.id}/deactivate", form_url=LIST)
    assert response.status_code == 302
    assert _commissioners(db) == [("Old Health Authority", None, False)]
    listing = admin_client.get(LIST).get_data(as_text=True)
    assert "is no longer offered to organisations" in listing and "Deactivated" in listing

    response = submit(admin_client, f"{LIST}/{commissioner.id}/reactivate", form_url=LIST)
    assert response.status_code == 302
    assert _commissioners(db) == [("Old Health Authority", None, True)]


def test_deactivating_needs_the_csrf_token(admin_client, db):
    commissioner = make_commissioner("Kept Council")
    assert admin_client.post(f"{LIST}/{commissioner.id}/deactivate").status_code == 400
    assert admin_client.post(ADD, data={"name": "New Council"}).status_code == 400
    assert _commissioners(db) == [("Kept Council", None, True)]


def test_an_unknown_commissioner_is_not_found(admin_client, db):
    assert admin_client.get(f"{LIST}/999/edit").status_code == 404
    response = submit(admin_client, f"{LIST}/999/deactivate", form_url=LIST)
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Commissioner)) == 0
