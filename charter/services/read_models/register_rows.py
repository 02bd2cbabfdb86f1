"""A page of the register's rows: the columns each result shows (its standing under the
register's charter and its current Mark, read by the same statement), built once per shape of
request and run with each request's values (``register_query``).

A new name search is counted and paged by one statement (``new_search_page``): its matches, to
one past the number a search shows, are found once (the trigram index reads every match of the
words), then counted, sorted and cut to the page. Counted first and paged second, as a search
already counted is, the index was read twice: at 100,000 organisations a two-word search took
5.8 ms to count and 6.2 ms for its page.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import Integer, bindparam, func, select

from charter.models import CharterMark, Organisation, Scheme, Signing
from charter.models.assessment import MARK_SUPERSEDED
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.domain import signings
from charter.services.infrastructure.column_reads import column_rows
from charter.services.infrastructure.query_plans import custom_plans
from charter.services.read_models.register_query import (
    ANY_KEY,
    Filters,
    Key,
    filter_params,
    filter_values_matter,
    filtered,
    in_key_order,
    page_keys,
    page_params,
    shape,
    sort_key,
    statement_charter,
)


class CurrentMark(NamedTuple):
    """What the register's standing label reads of an organisation's current mark."""

    status: str
    expires_on: date
    renewal_window_days: int | None


class RegisterEntry(NamedTuple):
    """One result: plain columns, with the current mark's status and expiry read by the same
    query (no ORM objects, and no second query for the standing labels)."""

    id: int
    slug: str
    name: str
    organisation_type: str
    district: str
    status: str
    # The Mark's lifecycle under this charter (the signing's); ``mark_status`` is the row's.
    mark_state: str
    mark_status: str | None
    mark_expires_on: date | None
    mark_renewal_window_days: int | None
    sort_key: str

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPES.get(self.organisation_type, self.organisation_type)

    @property
    def mark(self) -> CurrentMark | None:
        if self.mark_status is None:
            return None
        return CurrentMark(self.mark_status, self.mark_expires_on, self.mark_renewal_window_days)


def current_mark_of_row(*columns, any_charter: bool = False):
    """``columns`` of the current mark (the latest a renewal has not replaced, as
    ``marks.current_mark``) of the organisation in the enclosing query's row, of the register's
    charter (or any): one index lookup per row. The register's rows and the open data
    (``open_data``) read it alike."""
    return (
        select(*columns)
        .where(
            CharterMark.organisation_id == Organisation.id,
            CharterMark.status != MARK_SUPERSEDED,
            # The Mark of the register's charter, not another charter's.
            signings.of_charter(CharterMark.scheme_id, statement_charter(any_charter)),
        )
        .order_by(CharterMark.awarded_on.desc(), CharterMark.id.desc())
        .limit(1)
        .correlate(Organisation)
    )


def current_mark_column(column, any_charter: bool):
    """``column`` of the current mark (or of its scheme), as a scalar subquery."""
    return (
        current_mark_of_row(column, any_charter=any_charter)
        .select_from(CharterMark)
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .scalar_subquery()
    )


@cache
def entry_columns(any_charter: bool):
    """Built once for one charter's register and once for any charter's: SQLAlchemy
    expressions are immutable, and building the correlated subqueries cost more than running
    them."""
    return (
        Organisation.id,
        Organisation.slug,
        Organisation.name,
        Organisation.organisation_type,
        Organisation.district,
        signings.status_of_row(statement_charter(any_charter)),
        signings.status_of_row(statement_charter(any_charter), Signing.mark_status),
        current_mark_column(CharterMark.status, any_charter),
        current_mark_column(CharterMark.expires_on, any_charter),
        current_mark_column(Scheme.renewal_window_days, any_charter),
        sort_key(),
    )


@lru_cache(maxsize=256)
def rows_statement(filters_shape: Filters, after: bool, before: bool, reverse: bool):
    """The statement of :func:`page_rows` for one shape of request, built once and run with each
    request's values (see ``register_query``)."""
    keys = page_keys(
        filters_shape,
        after=ANY_KEY if after else None,
        before=ANY_KEY if before else None,
        reverse=reverse,
        limit=0,
    )
    columns = entry_columns(filters_shape.charter_id == signings.ANY_CHARTER)
    return in_key_order(select(*columns), keys, reverse=reverse)


def page_rows(
    filters: Filters, *, after=None, before=None, reverse=False, offset=0, limit, name_order=False
):
    """``name_order``: a name search read by walking the name index (``query_plans.custom_plans``):
    one with more matches than it shows, or with matches dense in what it searches
    (``register.NAME_ORDER_WALK``)."""
    statement = rows_statement(shape(filters), after is not None, before is not None, reverse)
    params = page_params(filters, after=after, before=before, offset=offset, limit=limit)
    with custom_plans(name_order=name_order, when=bool(filters.q)):
        rows = column_rows(statement, params)
    entries = [RegisterEntry(*row) for row in rows]
    return entries[::-1] if reverse else entries


@lru_cache(maxsize=64)
def _ends_statement(filters_shape: Filters, reverse: bool):
    keys = page_keys(filters_shape, reverse=reverse, limit=0)
    if reverse:
        return select(keys.c.sort_key, keys.c.id).order_by(keys.c.sort_key.desc(), keys.c.id.desc())
    return select(keys.c.sort_key, keys.c.id).order_by(keys.c.sort_key, keys.c.id)


def page_ends(filters: Filters, offsets: range, *, reverse: bool = False) -> dict[int, Key]:
    """For each of ``offsets`` (rows from the front, or from the end with ``reverse``), the key
    of the row before it, from one read of the keys down to the deepest: a page that deep is
    then read after its key, not by skipping every row before it (``register.search``)."""
    deepest = max(offsets, default=0)
    if deepest <= 0:
        return {}
    params = page_params(filters, offset=0, limit=deepest)
    keys = column_rows(_ends_statement(shape(filters), reverse), params)
    return {offset: tuple(keys[offset - 1]) for offset in offsets if 0 < offset <= len(keys)}


@lru_cache(maxsize=64)
def _new_search_statement(filters_shape: Filters):
    """The matches (at most ``match_cap``, in no order: the trigram index's), then the page's
    rows in name order from among them, each with how many matches there were."""
    matches = (
        filtered(select(Organisation.id, sort_key().label("sort_key")), filters_shape)
        .limit(bindparam("match_cap", type_=Integer))
        .cte("matches")
    )
    keys = (
        select(matches.c.id, matches.c.sort_key)
        .order_by(matches.c.sort_key, matches.c.id)
        .offset(bindparam("page_offset", type_=Integer))
        .limit(bindparam("page_limit", type_=Integer))
        .subquery("page_keys")
    )
    counted = select(func.count()).select_from(matches).scalar_subquery()
    columns = entry_columns(filters_shape.charter_id == signings.ANY_CHARTER)
    return in_key_order(select(*columns, counted), keys)


def new_search_page(
    filters: Filters, *, offset: int, limit: int, cap: int
) -> tuple[list[RegisterEntry], int] | None:
    """A page of a name search not counted yet, and its count to ``cap`` (one past what a
    search shows): no rows and 0 when nothing matches; None when a later page is empty (past
    the matches): its count is then asked as usual. With ``cap`` matches the page is not the
    first ones in name order (they were found in the index's order), so the caller reads it
    again in name order."""
    statement = _new_search_statement(shape(filters))
    params = {
        **filter_params(filters),
        "match_cap": cap,
        "page_offset": offset,
        "page_limit": limit,
    }
    # Its matches are found in no order: one plan serves every word (query_plans). Planning it
    # for each was 1 ms of a new search's 5 at 100,000 organisations.
    with custom_plans(when=filter_values_matter(filters)):
        found = column_rows(statement, params)
    if not found:
        return ([], 0) if offset == 0 else None
    return [RegisterEntry(*row[:-1]) for row in found], found[0][-1]
