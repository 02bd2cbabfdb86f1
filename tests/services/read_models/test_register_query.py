"""The register's page statements are built once per shape of request and run with each
request's values: every named parameter such a statement has must come from ``page_params``,
or a later request would silently run with the values of the first."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from charter.extensions import db
from charter.services.read_models import open_data, register
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
        statement = register._rows_statement(
            shape(filters), after is not None, before is not None, position == "before"
        )
        params = page_params(filters, after=after, before=before, offset=3, limit=20)
        expected = _expected(filters, after, before)
        assert _named_parameters(statement) == set(params) == expected, filters


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
