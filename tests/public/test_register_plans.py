"""How the register's statements are planned: once for any value where one plan serves every
value, for each request's values where the best plan depends on them, and a search whose matches
are dense in what it searches read in name order. Each way must show the same rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from charter.extensions import db
from charter.services.read_models import register as register_page_service
from tests.factories import make_organisation
from tests.public.test_register_paging import link, result_names, statements_run


def page_statements(client, url: str) -> list[str]:
    """The statements a GET of ``url`` runs that read a page of the register by its keys."""
    return [sql for sql in statements_run(client, url) if "page_keys" in sql]


def register_of(scheme, count: int, district: str = "Shrewsbury") -> list[str]:
    names = [f"Firm {n:03d}" for n in range(count)]
    for name in names:
        make_organisation(scheme=scheme, name=name, status="signatory", district=district)
    return names


@pytest.mark.parametrize(
    ("url", "in_sql"),
    [
        ("/c/shropshire/register", True),
        ("/c/shropshire/register?page=2", True),
        ("/api/v1/organisations", True),
        ("/api/v1/organisations?charter=shropshire", True),
        ("/c/shropshire/register?district=Shrewsbury", False),
        ("/c/shropshire/register?standing=signatories", False),
        ("/api/v1/organisations?q=firm", False),
    ],
)
def test_a_page_size_is_in_the_sql_only_where_no_value_changes_the_best_plan(
    client, scheme, url, in_sql
):
    """PostgreSQL guesses a tenth of the table for a LIMIT it cannot see, so it never kept one
    plan for the register's pages and planned each afresh (1 ms of 1.3 at 100,000
    organisations). A filter's or a word's best plan depends on its value: those stay
    parameters, each request planned for its own."""
    register_of(scheme, 25)
    pages = page_statements(client, url)
    assert pages, url
    for sql in pages:
        page_keys = sql.split("AS page_keys")[0].rstrip()
        assert bool(re.search(r"LIMIT \d+ OFFSET \d+\)$", page_keys)) is in_sql, (url, sql)


def test_a_new_search_is_planned_once_for_any_word_but_not_with_a_district(client, scheme):
    """Its matches are found in no order, so the plan kept for any word reads the trigram
    index: it is prepared (psycopg, from the fifth run) like any statement. With a district,
    whose districts differ in size, each is planned for its own values (never prepared)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    register_of(scheme, 12)

    def prepared_searches() -> int:
        return db.session.scalar(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH matches%'")
        )

    for n in range(8):  # eight words never searched before
        assert (
            client.get(f"/c/shropshire/register?q=firm+00{n}&district=Shrewsbury").status_code
            == 200
        )
    assert prepared_searches() == 0
    for n in range(8):
        assert client.get(f"/c/shropshire/register?q=firm+01{n}").status_code == 200
    assert prepared_searches() == 1


@pytest.mark.parametrize(
    ("walk", "name_order"), [(register_page_service.NAME_ORDER_WALK, True), (0, False)]
)
def test_a_search_dense_in_its_district_is_read_in_name_order_with_the_same_rows(
    client, scheme, monkeypatch, walk, name_order
):
    """65 of the district's 66 names match "firm": a page of them lies within a few entries of
    the district's name index, so the page after the first walks it in name order rather than
    read every match through the trigram index (which grows with the register: 441 matches of
    "severn" in Shrewsbury at 100,000 organisations, 3 at 500). Either way, the same rows."""
    monkeypatch.setattr(register_page_service, "NAME_ORDER_WALK", walk)
    names = register_of(scheme, 65)
    make_organisation(scheme=scheme, name="Other Works", status="signatory", district="Shrewsbury")
    make_organisation(scheme=scheme, name="Firm Elsewhere", status="signatory", district="Oswestry")
    first = client.get("/c/shropshire/register?q=firm&district=Shrewsbury").get_data(as_text=True)
    assert "65 organisations" in first
    assert result_names(first) == names[:20]
    second_url = link(first, "next")
    seen = statements_run(client, second_url)
    if db.engine.dialect.name == "postgresql":
        assert ("SET enable_bitmapscan = off" in seen) is name_order, seen
    second = client.get(second_url).get_data(as_text=True)
    assert result_names(second) == names[20:40]
    last = client.get("/c/shropshire/register?q=firm&district=Shrewsbury&page=4")
    assert result_names(last.get_data(as_text=True)) == names[60:]
