"""HTTP caching of the register, its open data and the API: an ETag and Last-Modified from the
register's version, a short public max-age, and a 304 that costs one query."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from charter.extensions import db
from charter.models import Organisation
from tests.factories import sign_in
from tests.public.register_helpers import make_holder, make_signatory

CACHED = [
    "/c/shropshire/register",
    "/c/shropshire/register?district=Shrewsbury&page=1",
    "/c/shropshire/register.csv",
    "/c/shropshire/register.json",  # and verified returns: tests/public/test_open_data_figures.py
    "/c/shropshire/register/feed.atom",
    "/api/v1/organisations",
]


@pytest.mark.parametrize("url", CACHED)
def test_a_repeat_request_is_a_304_until_the_register_changes(client, scheme, url, query_counter):
    make_signatory(scheme, "First Firm", district="Shrewsbury")
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert first.headers["Last-Modified"]

    with query_counter() as counter:
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert counter.value == 1  # the register's version, nothing else

    make_holder(scheme, "Second Firm", district="Shrewsbury")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Second Firm" in changed.get_data(as_text=True)


def test_if_modified_since_is_honoured(client, scheme):
    make_signatory(scheme, "First Firm")
    first = client.get("/c/shropshire/register")
    since = first.headers["Last-Modified"]
    assert (
        client.get("/c/shropshire/register", headers={"If-Modified-Since": since}).status_code
        == 304
    )


def test_each_url_has_its_own_etag(client, scheme):
    make_signatory(scheme, "First Firm")
    assert (
        client.get("/c/shropshire/register").headers["ETag"]
        != client.get("/c/shropshire/register?q=f").headers["ETag"]
    )


def test_a_bulk_update_changes_the_etag(client, scheme):
    organisation = make_signatory(scheme, "First Firm")
    etag = client.get("/c/shropshire/register").headers["ETag"]
    db.session.execute(
        db.update(Organisation)
        .where(Organisation.id == organisation.id)
        .values(name="Renamed Firm", version_id=Organisation.version_id + 1)
    )
    db.session.commit()
    response = client.get("/c/shropshire/register", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Renamed Firm" in response.get_data(as_text=True)


def test_errors_are_not_cached(client, scheme):
    response = client.get("/c/shropshire/register?page=abc")
    assert response.status_code == 400
    assert "ETag" not in response.headers
    assert "public" not in response.headers.get("Cache-Control", "")


def test_signed_in_people_get_a_fresh_page(client, scheme, member):
    make_signatory(scheme, "First Firm")
    sign_in(client, member.email)
    response = client.get("/c/shropshire/register")
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("firm", "second"),
        ("firm", '"><script>alert(1)</script>'),
        ("firm", "\ue000text\ue000"),  # the cached form's own slot, searched for
        ("firm", "a & b < c"),
    ],
)
def test_a_new_search_shows_its_own_text_in_the_kept_form(client, scheme, first, second):
    """The search form is kept once per register version and filters, without the text: each
    search gets its own text back in the box, escaped once, whatever it is."""
    make_signatory(scheme, "First Firm", district="Shrewsbury")
    for text in (first, second, first):
        for district in ("", "Shrewsbury"):
            query = {"q": text, "district": district}
            html = client.get("/c/shropshire/register", query_string=query).get_data(as_text=True)
            box = BeautifulSoup(html, "html.parser").select_one("input#q")
            assert box["value"] == text
            assert html.count("\ue000") == text.count("\ue000")
