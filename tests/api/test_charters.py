"""The charters in the API: /api/v1/charters, and charter= on organisations and certificates."""

from __future__ import annotations

import pytest

from tests.api.helpers import get_json
from tests.factories import make_mark, make_organisation
from tests.public.charter_helpers import new_charter


@pytest.fixture
def two_charters(db, scheme):
    db.session.add(new_charter())
    db.session.commit()


def test_the_charters_are_listed_default_first_with_their_links(client, two_charters):
    body = get_json(client, "/api/v1/charters", "/charters")
    assert [c["slug"] for c in body["data"]] == ["shropshire", "worcestershire"]
    shropshire = body["data"][0]
    assert shropshire["running_body"] == "Social Value Group"
    assert shropshire["area"] == "Shropshire"
    assert shropshire["links"] == {
        "html": "http://localhost/c/shropshire/",
        "register": "http://localhost/c/shropshire/register",
        "organisations": "http://localhost/api/v1/organisations?charter=shropshire",
    }


def test_no_charter_yet_is_an_empty_list(client):
    assert get_json(client, "/api/v1/charters", "/charters") == {"data": []}


def test_organisations_by_charter(client, two_charters, scheme):
    make_organisation(scheme=scheme, status="signatory", name="Birch Catering")
    url = "/api/v1/organisations"
    everything = get_json(client, url, "/organisations")["data"]
    assert [o["name"] for o in everything] == ["Birch Catering"]
    # Every organisation is the default charter's until organisations sign per charter.
    default = get_json(client, url + "?charter=shropshire", "/organisations")
    assert default["data"] == everything
    assert default["links"]["self"].endswith("/api/v1/organisations?charter=shropshire")
    assert (
        everything[0]["links"]["html"]
        == "http://localhost/c/shropshire/register/" + (everything[0]["slug"])
    )
    other = get_json(client, url + "?charter=worcestershire", "/organisations")
    assert other == {
        "data": [],
        "links": {
            "self": "http://localhost/api/v1/organisations?charter=worcestershire",
            "next": None,
        },
    }


@pytest.mark.parametrize(
    "url",
    ["/api/v1/organisations?charter=nowhere", "/api/v1/certificates/CM-AAAAAAAA?charter=nowhere"],
)
def test_an_unknown_charter_is_a_bad_parameter(client, two_charters, url):
    path = "/organisations" if "organisations" in url else "/certificates/{number}"
    body = get_json(client, url, path, status=400)
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["parameter"] == "charter"
    assert "shropshire, worcestershire" in body["error"]["message"]


def test_a_certificate_names_its_charter_and_is_found_only_under_it(client, two_charters, scheme):
    holder = make_organisation(scheme=scheme, status="accredited", name="Acorn Builders")
    number = make_mark(holder, scheme).certificate_number
    path = "/certificates/{number}"
    body = get_json(client, f"/api/v1/certificates/{number}", path)["data"]
    assert body["charter"] == {"slug": "shropshire", "name": "Social Value Charter for Shropshire"}
    assert body["links"]["html"] == f"http://localhost/c/shropshire/verify/{number}"
    assert get_json(client, f"/api/v1/certificates/{number}?charter=shropshire", path)
    missing = get_json(client, f"/api/v1/certificates/{number}?charter=worcestershire", path, 404)
    assert missing["error"]["code"] == "not_found"
