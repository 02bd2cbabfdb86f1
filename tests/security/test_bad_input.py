"""Bad input is a 4xx or a form error, never a 5xx, and saves nothing (issue 11, item 10).

PostgreSQL refuses what SQLite lets through (ids >= 2**31, NUL bytes), so these matter most
on the PostgreSQL leg of CI.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from charter.api.views import encode_cursor
from charter.extensions import db
from charter.models import Contract, Organisation, User
from charter.models.base import INTEGER_COLUMN_MAX as MAX_ID
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.contract_helpers import contract_data

HUGE_IDS = [MAX_ID + 1, 2**63, 10**40]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "int" in _converter_names(rule)]


def _converter_names(rule) -> set[str]:
    return {match for match in re.findall(r"<(\w+)(?:\([^)]*\))?:", rule.rule)}


def test_every_int_url_refuses_ids_beyond_the_database_with_a_404(app, admin_client, scheme):
    organisation = make_organisation(scheme=scheme)
    rules = _int_rules(app)
    assert len(rules) > 20, "the URL map has many routes with ids"
    for rule in rules:
        for huge in HUGE_IDS:
            url = re.sub(r"<int:\w+>", str(huge), rule.rule).replace("<slug>", organisation.slug)
            url = url.replace("<measure_code>", "LE1")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = admin_client.open(url, method=method)
                assert response.status_code == 404, (url, method, response.status_code)


def test_the_largest_id_is_still_routed(app, admin_client):
    response = admin_client.get(f"/admin/appeals/{MAX_ID}")
    assert response.status_code == 404
    assert app.url_map.bind("localhost").match(f"/admin/appeals/{MAX_ID}")[0] == (
        "admin.review_appeal"
    )


@pytest.mark.parametrize("key", [("a", MAX_ID + 1), ("a", 2**63), ("a", -1), ("a\x00", 1)])
def test_an_api_cursor_beyond_the_database_is_a_400(client, scheme, key):
    response = client.get("/api/v1/organisations", query_string={"cursor": encode_cursor(key)})

    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "cursor"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "1" * 40}, "The contract value must be less than"),
        ({"value": "9" * 40 + ".99"}, "The contract value must be less than"),
        ({"start_date": ["1", "4", "99999999999"]}, "The start date must be a real date"),
        ({"end_date": ["1", "4", "10000"]}, "The end date must be a real date"),
        ({"end_date": ["99999999999999999999", "1", "2027"]}, "The end date must be a real date"),
    ],
    ids=["40 digits", "40 digits and pence", "year 99999999999", "year 10000", "huge day"],
)
def test_a_huge_number_or_date_is_a_form_error(member_client, signed, council, changes, message):
    url = f"/organisations/{signed.slug}/contracts/new"

    response = submit(member_client, url, contract_data(council, **changes))

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    check = member_client.get(url + "/check-your-answers")
    assert check.status_code == 302, "nothing kept for check your answers"
    assert _count(Contract) == 0


NUL = "\x00"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/create-account", {"full_name": "Ada" + NUL, "email": "ada@example.com"}),
        ("/sign-in", {"email": "owner@example.com" + NUL, "password": "x"}),
        ("/forgotten-password", {"email": "owner" + NUL + "@example.com"}),
    ],
)
def test_a_nul_byte_in_a_public_form_is_a_400_and_nothing_is_saved(client, scheme, url, data):
    users, emails = _count(User), _outbox()
    payload = data | {
        "password": "violet kettle marmalade",
        "confirm_password": "violet kettle marmalade",
    }
    if url == "/sign-in":
        payload["password"] = "x"

    response = submit(client, url, payload)

    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert (_count(User), _outbox()) == (users, emails)


def _outbox() -> int:
    from charter.models import OutboxEmail

    return _count(OutboxEmail)


def test_a_nul_byte_in_a_signed_in_form_saves_nothing(member_client, signed, council):
    url = f"/organisations/{signed.slug}/contracts/new"

    response = submit(member_client, url, contract_data(council, title="Roads" + NUL))

    assert response.status_code == 400
    assert member_client.get(url + "/check-your-answers").status_code == 302
    assert _count(Contract) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/c/shropshire/register",
        "/c/shropshire/register.csv",
        "/c/shropshire/register.json",
        "/api/v1/organisations",
        "/c/shropshire/verify",
    ],
)
def test_a_nul_byte_in_a_query_string_is_a_400_before_any_body(client, scheme, url):
    make_organisation(scheme=scheme, status="signatory")

    response = client.get(url, query_string={"q": "a" + NUL})

    assert response.status_code == 400
    assert not response.is_streamed or response.get_data()  # a whole body, not a broken stream


def test_a_nul_byte_in_the_assessors_search_is_a_400(app, scheme):
    assessor = make_user(email="asha@example.com", role="assessor")
    client = app.test_client()
    sign_in(client, assessor.email)

    assert client.get("/assessor/", query_string={"q": NUL}).status_code == 400


def test_a_nul_byte_in_a_url_slug_is_a_400(client, scheme):
    assert client.get("/c/shropshire/register/acorn%00").status_code == 400
    assert client.get("/c/shropshire/verify/CM-%00").status_code == 400
    assert _count(Organisation) == 0
