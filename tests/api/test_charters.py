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
    assert shropshire["region"] == {
        "slug": "west-midlands",
        "name": "West Midlands",
        "impact": "http://localhost/charters/impact?region=west-midlands",
    }
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


def test_an_organisation_is_linked_and_dated_by_the_charter_asked_for(client, scheme, db):
    """Each entry's page is on the register of the charter asked for (or, for any charter's,
    of the first charter on whose register it is), and its signing date is that charter's."""
    from datetime import datetime

    from charter.models import Signature
    from charter.services.domain import signings
    from charter.services.domain.schemes import load_scheme_text
    from tests.public.charter_helpers import second_charter_text

    second = load_scheme_text(second_charter_text()).scheme
    db.session.commit()
    both = make_organisation(scheme=scheme, status="signatory", name="Both Ltd")
    signings.start(both, second).status = "signatory"
    only = make_organisation(scheme=second, status="signatory", name="Worcester Only Ltd")
    for organisation, version, day in ((both, scheme, 1), (both, second, 20), (only, second, 5)):
        db.session.add(
            Signature(
                organisation_id=organisation.id,
                scheme_id=version.id,
                signatory_name="Sam",
                signatory_role="Director",
                has_authority=True,
                route="working_towards",
                accepted_principles=[],
                signed_at=datetime(2026, 3, day, 10),
            )
        )
    db.session.commit()
    url = "/api/v1/organisations"
    for charter, signed_on in (("shropshire", "2026-03-01"), ("worcestershire", "2026-03-20")):
        body = get_json(client, f"{url}?charter={charter}", "/organisations")
        entry = next(e for e in body["data"] if e["slug"] == both.slug)
        assert entry["links"]["html"].endswith(f"/c/{charter}/register/{both.slug}")
        assert entry["signed_on"] == signed_on
    anywhere = {e["slug"]: e for e in get_json(client, url, "/organisations")["data"]}
    assert anywhere[only.slug]["links"]["html"].endswith(f"/c/worcestershire/register/{only.slug}")
    assert anywhere[both.slug]["links"]["html"].endswith(f"/c/shropshire/register/{both.slug}")
    one = get_json(client, f"{url}/{only.slug}", "/organisations/{slug}")["data"]
    assert one["links"]["html"].endswith(f"/c/worcestershire/register/{only.slug}")
