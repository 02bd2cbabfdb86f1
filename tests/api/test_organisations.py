"""GET /api/v1/organisations and /api/v1/organisations/<slug>: the public register as JSON."""

from __future__ import annotations

import base64

import pytest

from tests.api.helpers import get_json
from tests.factories import make_organisation
from tests.public.register_helpers import make_holder, make_signatory

LIST = "/organisations"
DETAIL = "/organisations/{slug}"


def names(body) -> list[str]:
    return [item["name"] for item in body["data"]]


def test_lists_public_organisations_by_name_with_marks(client, scheme):
    holder, mark = make_holder(scheme, "Acorn Care", district="Oswestry")
    make_signatory(scheme, "bryn Builders")
    make_signatory(scheme, "Castle Catering", status="monitoring")
    body = get_json(client, "/api/v1/organisations", LIST)
    assert names(body) == ["Acorn Care", "bryn Builders", "Castle Catering"]
    assert body["links"]["next"] is None
    assert body["links"]["self"] == "http://localhost/api/v1/organisations"
    acorn, bryn, castle = body["data"]
    assert acorn["slug"] == holder.slug
    assert acorn["org_id"] == holder.org_id
    assert acorn["type"] == "business"
    assert acorn["size"] == "small"
    assert acorn["district"] == "Oswestry"
    assert acorn["status"] == "holder"
    assert acorn["status_label"] == "Charter Mark holder"
    assert acorn["signed_on"] == "2026-05-01"
    assert acorn["charter_mark"] == {
        "certificate_number": mark.certificate_number,
        "awarded_on": mark.awarded_on.isoformat(),
        "expires_on": mark.expires_on.isoformat(),
        "standing": "valid",
    }
    assert acorn["links"] == {
        "self": f"http://localhost/api/v1/organisations/{holder.slug}",
        "html": f"http://localhost/c/shropshire/register/{holder.slug}",
    }
    assert bryn["charter_mark"] is None
    assert bryn["status"] == "signatory"
    # An assessment in progress reads as "working towards", as on the register page.
    assert castle["status"] == "working_towards"


def test_public_cache_and_cors_headers(client, scheme):
    make_signatory(scheme, "Acorn Care")
    response = client.get("/api/v1/organisations")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_registered_and_withdrawn_organisations_never_appear(client, scheme):
    make_signatory(scheme, "Public Partners")
    hidden = make_organisation(scheme=scheme, name="Hidden Registered", status="registered")
    withdrawn = make_signatory(scheme, "Hidden Withdrawn", status="withdrawn")
    body = get_json(client, "/api/v1/organisations", LIST)
    assert names(body) == ["Public Partners"]
    for organisation in (hidden, withdrawn):
        error = get_json(client, f"/api/v1/organisations/{organisation.slug}", DETAIL, 404)
        assert error["error"]["code"] == "not_found"
        assert "Hidden" not in str(error)


def test_one_organisation(client, scheme):
    holder, mark = make_holder(scheme, "Acorn Care")
    body = get_json(client, f"/api/v1/organisations/{holder.slug}", DETAIL)
    assert body["data"]["name"] == "Acorn Care"
    assert body["data"]["signed_on"] == "2026-05-01"
    assert body["data"]["charter_mark"]["certificate_number"] == mark.certificate_number


def test_unknown_organisation_is_a_json_404(client, scheme):
    body = get_json(client, "/api/v1/organisations/no-such-organisation", DETAIL, 404)
    assert body["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("district=Oswestry", ["Oswestry Oils"]),
        ("type=vcse", ["Helping Hands"]),
        ("sector=Health+and+social+care", ["Helping Hands"]),
        ("standing=holders", ["Acorn Care"]),
        ("standing=signatories", ["Helping Hands", "Oswestry Oils"]),
        ("q=OILS", ["Oswestry Oils"]),
        ("q=%25", []),
        ("district=Nowhere", []),
        ("district=Oswestry&type=vcse", []),
    ],
)
def test_filters_mean_what_they_mean_on_the_register(client, scheme, query, expected):
    make_holder(scheme, "Acorn Care")
    make_signatory(scheme, "Oswestry Oils", district="Oswestry")
    make_signatory(
        scheme, "Helping Hands", organisation_type="vcse", sector="Health and social care"
    )
    body = get_json(client, f"/api/v1/organisations?{query}", LIST)
    assert names(body) == expected


def test_filters_are_kept_in_the_links(client, scheme):
    for n in range(3):
        make_signatory(scheme, f"Oswestry Org {n}", district="Oswestry")
    body = get_json(client, "/api/v1/organisations?district=Oswestry&limit=2", LIST)
    assert "district=Oswestry" in body["links"]["self"]
    assert "district=Oswestry" in body["links"]["next"]
    assert "limit=2" in body["links"]["next"]


def test_keyset_pages_walk_every_organisation_once(client, scheme):
    # Equal names (and mixed case) make the id the tie-breaker across page boundaries.
    for n in range(24):
        make_signatory(scheme, f"{'abcdefgh'[n % 8].upper() if n % 2 else 'abcdefgh'[n % 8]} Org")
    for _ in range(6):
        make_signatory(scheme, "Same Name")
    make_organisation(scheme=scheme, name="Not Public", status="registered")
    everything = get_json(client, "/api/v1/organisations?limit=100", LIST)["data"]
    assert len(everything) == 30
    assert [item["name"].lower() for item in everything] == sorted(
        item["name"].lower() for item in everything
    )

    seen, pages, url = [], 0, "/api/v1/organisations?limit=7"
    while url:
        body = get_json(client, url, LIST)
        pages += 1
        assert len(body["data"]) <= 7
        seen.extend(item["slug"] for item in body["data"])
        url = body["links"]["next"]
    assert pages == 5
    assert seen == [item["slug"] for item in everything]
    assert len(set(seen)) == 30


def test_last_full_page_has_no_next(client, scheme):
    for n in range(4):
        make_signatory(scheme, f"Org {n}")
    first = get_json(client, "/api/v1/organisations?limit=2", LIST)
    second = get_json(client, first["links"]["next"], LIST)
    assert names(second) == ["Org 2", "Org 3"]
    assert second["links"]["next"] is None


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", ""])
def test_invalid_limit_is_a_json_400(client, scheme, limit):
    body = get_json(client, f"/api/v1/organisations?limit={limit}", LIST, 400)
    assert body == {
        "error": {
            "code": "invalid_parameter",
            "message": "limit must be between 1 and 100",
            "parameter": "limit",
        }
    }


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "",
        _b64("not json"),
        _b64('["a"]'),
        _b64('{"a": 1}'),
        _b64("[1, 2]"),
        _b64('["a", true]'),
    ],
)
def test_invalid_cursor_is_a_json_400(client, scheme, cursor):
    make_signatory(scheme, "Acorn Care")
    body = get_json(client, f"/api/v1/organisations?cursor={cursor}", LIST, 400)
    assert body["error"]["code"] == "invalid_parameter"
    assert body["error"]["parameter"] == "cursor"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("type", "charity"),
        ("standing", "everyone"),
        # One character too long is refused, not searched for its first 200 characters.
        ("q", "a" * 201),
    ],
)
def test_unknown_type_standing_or_too_long_a_name_is_a_json_400(client, scheme, name, value):
    body = get_json(client, f"/api/v1/organisations?{name}={value}", LIST, 400)
    assert body["error"]["parameter"] == name


def test_list_query_count_does_not_grow_with_the_page(client, scheme, query_counter):
    def count_queries(expected: int) -> int:
        with query_counter() as counter:
            body = get_json(client, "/api/v1/organisations?limit=100", LIST)
        assert len(body["data"]) == expected
        return counter.value

    for n in range(5):
        make_holder(scheme, f"Holder {n:02d}")
    small = count_queries(5)
    for n in range(5, 25):
        make_holder(scheme, f"Holder {n:02d}")
    assert count_queries(25) == small
    # The register's version (for the ETag), and one query for the page with each signature
    # date and current mark.
    assert small == 2
