"""Paging through the register: keyset links between neighbouring pages, the first and last
pages by number, and a bound on how deep a page number can be opened directly."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from charter.extensions import db
from charter.services.read_models import register as register_page_service
from tests.factories import make_organisation
from tests.public.register_helpers import make_signatory


def result_names(page: str) -> list[str]:
    return re.findall(r'href="/c/shropshire/register/(?!feed\.atom)[^"]+">([^<]+)</a>', page)


def link(page: str, kind: str) -> str | None:
    found = re.search(rf'govuk-pagination__{kind}.*?href="([^"]+)"', page, re.S)
    return found.group(1).replace("&amp;", "&") if found else None


def statements_run(client, url: str) -> list[str]:
    """The SQL a GET of ``url`` sends, in order (it must answer 200)."""
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    return seen


def make_register(scheme, count: int) -> list[str]:
    names = [f"Firm {n:03d}" for n in range(count)]
    for name in names:
        make_organisation(scheme=scheme, name=name, status="signatory")
    return names


def test_next_and_previous_walk_every_organisation_once_each_way(client, scheme):
    names = make_register(scheme, 65)  # four pages: 20, 20, 20, 5
    seen, url = [], "/c/shropshire/register"
    for _ in range(10):
        page = client.get(url).get_data(as_text=True)
        seen.extend(result_names(page))
        url = link(page, "next")
        if url is None:
            break
        assert "after=" in url or url.endswith("page=4")
    assert seen == names
    back, url = [], link(page, "prev")
    while url is not None:
        page = client.get(url).get_data(as_text=True)
        back = result_names(page) + back
        url = link(page, "prev")
    assert back == names[:60]


def test_the_last_page_is_served_from_the_end(client, scheme):
    names = make_register(scheme, 45)
    page = client.get("/c/shropshire/register?page=3").get_data(as_text=True)
    assert result_names(page) == names[40:]
    assert 'aria-current="page"' in page


def test_a_keyset_link_survives_changes_before_it(client, scheme):
    names = make_register(scheme, 30)
    first = client.get("/c/shropshire/register").get_data(as_text=True)
    next_url = link(first, "next")
    make_organisation(scheme=scheme, name="Aardvark Ltd", status="signatory")
    second = client.get(next_url).get_data(as_text=True)
    # The next page still starts after the last organisation the reader saw.
    assert result_names(second) == names[20:]


def test_deep_page_numbers_are_refused_with_a_way_on(client, scheme, monkeypatch):
    monkeypatch.setattr(register_page_service, "MAX_DIRECT_OFFSET", 20)
    names = make_register(scheme, 120)  # six pages
    assert (
        result_names(client.get("/c/shropshire/register?page=2").get_data(as_text=True))
        == names[20:40]
    )
    assert (
        result_names(client.get("/c/shropshire/register?page=5").get_data(as_text=True))
        == names[80:100]
    )
    response = client.get("/c/shropshire/register?page=3")
    assert response.status_code == 400
    assert "Page 3 cannot be opened directly" in response.get_data(as_text=True)


def test_page_query_count_is_the_same_at_any_depth(client, scheme, query_counter):
    make_register(scheme, 100)
    client.get("/c/shropshire/register")  # fills the per-version caches

    def queries(url: str) -> int:
        with query_counter() as counter:
            assert client.get(url).status_code == 200
        return counter.value

    first = client.get("/c/shropshire/register").get_data(as_text=True)
    second_url = link(first, "next")
    # A page not asked for before: the register's version, and the rows with their current
    # marks (for "Charter Mark expired on ..." labels) in one query, at any depth.
    assert (
        queries("/c/shropshire/register?page=1")
        == queries("/c/shropshire/register?page=5")
        == queries(second_url)
        == 2
    )
    # The same page again, before the register changes: served from memory.
    assert queries("/c/shropshire/register?page=5") == 1


def test_filters_with_keyset_links(client, scheme):
    for n in range(25):
        make_signatory(scheme, f"Oswestry Firm {n:02d}", district="Oswestry")
    make_signatory(scheme, "Elsewhere Firm", district="Shrewsbury")
    first = client.get("/c/shropshire/register?district=Oswestry").get_data(as_text=True)
    second = client.get(link(first, "next")).get_data(as_text=True)
    assert result_names(second) == [f"Oswestry Firm {n:02d}" for n in range(20, 25)]
    again = client.get(link(second, "prev")).get_data(as_text=True)
    assert result_names(again) == [f"Oswestry Firm {n:02d}" for n in range(20)]


def test_a_common_name_search_shows_its_first_matches_and_says_there_are_more(
    client, scheme, monkeypatch
):
    monkeypatch.setattr(register_page_service, "SEARCH_SHOWN", 40)
    names = make_register(scheme, 65)  # every name has "Firm" in it
    make_organisation(scheme=scheme, name="Other Works", status="signatory")
    page = client.get("/c/shropshire/register?q=firm").get_data(as_text=True)
    assert "More than 40 organisations" in page
    assert "These are the first 40 in name order" in page
    assert result_names(page) == names[:20]
    # The last page shown is the 40th match, from the front, not the last of the 65.
    last = client.get("/c/shropshire/register?q=firm&page=2").get_data(as_text=True)
    assert result_names(last) == names[20:40]
    assert link(last, "next") is None
    beyond = client.get("/c/shropshire/register?q=firm&page=3")
    assert beyond.status_code == 400
    assert "a search shows its first 40 matches, on 2 pages" in beyond.get_data(as_text=True)
    # At or under the cap, the count is exact.
    exact = client.get("/c/shropshire/register?q=firm+00").get_data(as_text=True)
    assert "10 organisations" in exact and "More than" not in exact


def test_only_a_name_search_is_capped(client, scheme, monkeypatch):
    monkeypatch.setattr(register_page_service, "SEARCH_SHOWN", 40)
    names = make_register(scheme, 65)
    for url in ("/c/shropshire/register", "/c/shropshire/register?district=Shrewsbury"):
        page = client.get(url).get_data(as_text=True)
        assert "65 organisations" in page and "More than" not in page, url
        assert client.get(f"{url}{'&' if '?' in url else '?'}page=4").status_code == 200
    last = client.get("/c/shropshire/register?page=4").get_data(as_text=True)
    assert result_names(last) == names[60:]


def test_a_search_counts_no_further_than_it_shows(client, scheme, monkeypatch):
    monkeypatch.setattr(register_page_service, "SEARCH_SHOWN", 40)
    make_register(scheme, 65)
    seen = statements_run(client, "/c/shropshire/register?q=firm")
    # One statement counts, its matches found to one past the cap (register_rows: the first
    # look at a new search); the page is then read in name order.
    counts = [sql for sql in seen if sql.upper().startswith(("SELECT COUNT(", "WITH MATCHES AS"))]
    assert len(counts) == 1, counts
    matches = counts[0].upper().split(") SELECT", 1)[0]
    assert matches.startswith("WITH MATCHES AS") and "LIMIT" in matches, counts


@pytest.mark.parametrize(("query", "name_order"), [("firm", True), ("firm+00", False)])
def test_a_common_word_is_read_in_name_order(client, scheme, monkeypatch, query, name_order):
    """Past the cap, a page of a common word walks the name index (no trigram bitmap scan,
    which read every match: 14 ms for "severn" at 100,000 organisations, growing with them)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    monkeypatch.setattr(register_page_service, "SEARCH_SHOWN", 40)
    make_register(scheme, 65)
    seen = statements_run(client, f"/c/shropshire/register?q={query}")
    # A public page reads in autocommit, where SET LOCAL would do nothing: the session's own.
    assert ("SET enable_bitmapscan = off" in seen) is name_order, seen
    assert "SET LOCAL enable_bitmapscan = off" not in seen


@pytest.mark.parametrize(
    "filters",
    [{}, {"district": "Shrewsbury"}, {"standing": "signatories"}],
    ids=["all", "district", "standing"],
)
def test_a_deep_page_read_after_a_kept_key_is_the_page_offset_reads(
    app, scheme, monkeypatch, query_counter, filters
):
    """Pages asked by number deeper than KEPT_ENDS_FROM start after the last key of the page
    before, read once per version for every page from that end: the same rows as OFFSET gives,
    from the front and from the end (where pages start total % 20 rows in), one statement each
    once the keys are kept."""
    from charter.services.read_models.register_query import Filters

    make_register(scheme, 95)  # five pages: 20, 20, 20, 20, 15
    charter_id = scheme.charter_id

    def names(page: int, version: int) -> list[str]:
        query = register_page_service.RegisterQuery(
            Filters(charter_id=charter_id, **filters), page=page
        )
        found = register_page_service.search(query, version)
        return [entry.name for entry in found.organisations]

    by_offset = [names(page, 1) for page in range(1, 6)]
    assert [len(each) for each in by_offset] == [20, 20, 20, 20, 15]
    monkeypatch.setattr(register_page_service, "KEPT_ENDS_FROM", 1)
    for page in (2, 3, 4, 5, 3, 2):
        assert names(page, 2) == by_offset[page - 1], page
    with query_counter() as counter:
        assert names(4, 2) == by_offset[3]
        assert names(2, 2) == by_offset[1]
    assert counter.value == 2
