"""The register's page statements are built once per shape of request and run with each
request's values: every named parameter such a statement has must come from ``page_params``,
or a later request would silently run with the values of the first."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from charter.extensions import db
from charter.services.read_models import open_data, register, register_rows
from charter.services.read_models.register_query import (
    HOLDERS,
    Filters,
    page_params,
    shape,
)
from tests.factories import make_organisation

KEY = ("some name", 7)


def _named_parameters(statement) -> set[str]:
    return {
        element.key
        for element in visitors.iterate(statement)
        if isinstance(element, BindParameter) and not element.unique
    }


def _expected(filters: Filters, after=None, before=None) -> set[str]:
    """The parameters a page's statement must have, worked out here and not from the code."""
    # One charter's register has its id as a parameter; any charter's (charter_id 0, the API's
    # default) is a statement of its own, with no charter in it.
    names = {"page_offset", "page_limit"} | ({"charter_id"} if filters.charter_id else set())
    for field, name in (
        ("q", "q_pattern"),
        ("district", "district"),
        ("organisation_type", "organisation_type"),
        ("sector", "sector"),
    ):
        if getattr(filters, field):
            names.add(name)
    if filters.standing:  # a standing is read on a day: Marks expire
        names.add("today")
    for prefix, key in (("after", after), ("before", before)):
        if key:
            names |= {f"{prefix}_name", f"{prefix}_id"}
    return names


def _all_filters():
    for q, district, kind, sector, standing, charter_id in itertools.product(
        ("", "50% off_"), ("", "Ludlow"), ("", "sme"), ("", "Construction"), ("", HOLDERS), (0, 1)
    ):
        yield Filters(q, district, kind, sector, standing, charter_id=charter_id)


@pytest.mark.parametrize("position", ["first", "after", "before"])
def test_every_named_parameter_of_a_register_page_comes_from_page_params(app, position):
    for filters in _all_filters():
        after = KEY if position == "after" else None
        before = KEY if position == "before" else None
        statement = register_rows.rows_statement(
            shape(filters), after is not None, before is not None, position == "before"
        )
        params = page_params(filters, after=after, before=before, offset=3, limit=20)
        expected = _expected(filters, after, before)
        assert _named_parameters(statement) == set(params) == expected, filters


def test_every_named_parameter_of_a_new_search_comes_from_its_values(app):
    for filters in _all_filters():
        if not filters.q:
            continue
        statement = register_rows._new_search_statement(shape(filters))
        expected = _expected(filters, None, None) | {"match_cap"}
        assert _named_parameters(statement) == expected, filters


def test_every_named_parameter_of_an_api_page_comes_from_page_params(app):
    dialect = db.engine.dialect.name
    for filters, after in itertools.product(_all_filters(), (None, KEY)):
        statement = open_data._batch_statement(dialect, shape(filters), after is not None)
        params = page_params(filters, after=after, limit=51)
        assert _named_parameters(statement) == set(params) == _expected(filters, after), filters


def test_one_statement_serves_requests_of_one_shape_with_their_own_values(app, scheme):
    for name, district in (("Severn Bakery", "Ludlow"), ("Severn Mill", "Oswestry")):
        make_organisation(scheme=scheme, name=name, district=district, status="signatory")
    make_organisation(scheme=scheme, name="100% Joinery", district="Ludlow", status="signatory")

    def names(**filters) -> list[str]:
        query = register.RegisterQuery(Filters(**filters))
        return [entry.name for entry in register.search(query, version=-1).organisations]

    assert names(q="severn", district="Ludlow") == ["Severn Bakery"]
    assert names(q="severn", district="Oswestry") == ["Severn Mill"]
    # The wildcard is a character to find, not a pattern.
    assert names(q="0%", district="Ludlow") == ["100% Joinery"]
    assert names(q="%", district="Oswestry") == []
    assert shape(Filters(q="severn", district="Ludlow")) == shape(
        Filters(q="0%", district="Oswestry")
    )


def _search(query_counter, version: int, q: str, page: int, charter_id: int):
    with query_counter() as counter:
        found = register.search(
            register.RegisterQuery(Filters(q=q, charter_id=charter_id), page=page), version
        )
    return [entry.name for entry in found.organisations], found, counter.value


def test_a_new_search_is_counted_and_paged_by_one_statement(
    app, scheme, query_counter, monkeypatch
):
    """Its matches are found once, counted and cut to the page; the count is kept, so its next
    page is one statement too. Pages in name order, the same as the usual way gives them.
    (45 of the 46 names match: dense enough to be read in name order, which
    ``tests/public/test_register_plans.py`` tests; here the trigram index is asked.)"""
    monkeypatch.setattr(register, "_dense", lambda *_args: False)
    names = [f"Severn Firm {n:02d}" for n in range(45)]
    for name in reversed(names):
        make_organisation(scheme=scheme, name=name, status="signatory")
    make_organisation(scheme=scheme, name="Wrekin Firm", status="signatory")
    charter_id = scheme.charter_id
    shown, found, statements = _search(query_counter, 1, "severn", 2, charter_id)
    assert (shown, found.total, found.pages, found.page) == (names[20:40], 45, 3, 2)
    assert statements == 1
    assert (found.first_key, found.last_key) == (
        ("severn firm 20", found.organisations[0].id),
        ("severn firm 39", found.organisations[-1].id),
    )
    shown, found, statements = _search(query_counter, 1, "severn", 3, charter_id)
    assert (shown, found.total, statements) == (names[40:], 45, 1)
    # Another version: counted again, the same way.
    shown, found, statements = _search(query_counter, 2, "severn", 1, charter_id)
    assert (shown, found.total, statements) == (names[:20], 45, 1)
    # Past its matches: the usual message, from the count now kept.
    with pytest.raises(register.PageNotAvailable, match="no page 4"):
        _search(query_counter, 3, "severn", 4, charter_id)
    # Nothing matches: one statement says so, and the next asks nothing.
    shown, found, statements = _search(query_counter, 4, "nothing like it", 1, charter_id)
    assert (shown, found.total, found.pages, found.page, statements) == ([], 0, 1, 1, 1)
    assert _search(query_counter, 4, "nothing like it", 1, charter_id)[1:] == (found, 1)


def test_a_new_search_of_a_common_word_shows_its_first_matches_in_name_order(
    app, scheme, query_counter, monkeypatch
):
    """Past the cap the matches found are not the first in name order: read again in order."""
    monkeypatch.setattr(register, "SEARCH_SHOWN", 30)
    names = [f"Severn Firm {n:02d}" for n in range(45)]
    for name in reversed(names):
        make_organisation(scheme=scheme, name=name, status="signatory")
    shown, found, statements = _search(query_counter, 1, "firm", 1, scheme.charter_id)
    assert (shown, found.total, found.more, found.pages) == (names[:20], 30, True, 2)
    # The first look, then the page in name order (on PostgreSQL between the SET LOCAL and its
    # undoing that keep the planner off the trigram index: query_plans.custom_plans).
    assert statements == (4 if db.engine.dialect.name == "postgresql" else 2)
