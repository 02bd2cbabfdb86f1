"""The public register page: checking the search, the filter lists, the count and one page.

What costs a scan of the register (the district and sector lists, the number of matches) is
computed once per register version in each process (see ``register_version``); a page of rows
is an index range scan: keyset links to the next and previous pages, and a page asked for by
number served from the nearer end of the results, up to ``MAX_DIRECT_OFFSET`` rows deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import CharterMark, Organisation, Scheme, Signature, Signing
from charter.models.assessment import MARK_SUPERSEDED
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.domain import register_entries, signings
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME
from charter.services.infrastructure.query_plans import custom_plans
from charter.services.read_models import register_version
from charter.services.read_models.register_query import (
    ANY_KEY,
    MAX_QUERY_LENGTH,
    STANDING_FILTERS,
    Filters,
    InvalidCursor,
    Key,
    decode_cursor,
    filtered,
    in_key_order,
    page_keys,
    page_params,
    shape,
    sort_key,
    standing_filters,
    statement_charter,
)

PAGE_SIZE = 20
# A page asked for by number (a typed or bookmarked link) is found by OFFSET from the nearer end
# of the results, so at most this many index entries are skipped; deeper pages are reached by the
# keyset links to the next and previous pages.
MAX_DIRECT_OFFSET = 1000
MAX_PAGE_DIGITS = 9
# A name search counts its matches up to this many and shows them, in name order; past it the
# page says there are more and asks for another word. Counting every match of a common word
# ("ltd": 30,000 at 100,000 organisations) cost 100 ms a new search, growing with the register;
# counting to the cap costs the same at any size.
SEARCH_SHOWN = MAX_DIRECT_OFFSET


@dataclass(frozen=True)
class FilterOptions:
    districts: list[str]
    sectors: list[str]
    types: Mapping[str, str]
    standings: Mapping[str, str]


def filter_options(
    version: int, charter_id: int, award: str | None = DEFAULT_AWARD_NAME
) -> FilterOptions:
    """The current scheme's districts and sectors, and any other that a public organisation has
    (registered under an earlier scheme version): computed once per register version. The
    standing filters speak of the charter's ``award``; a charter without one has none."""

    def compute() -> FilterOptions:
        scheme_lists = db.session.execute(
            select(Scheme.districts, Scheme.sectors)
            .where(Scheme.is_current, Scheme.charter_id == charter_id)
            .limit(1)
        ).first()
        pairs = db.session.execute(
            select(Organisation.district, Organisation.sector)
            .where(register_entries.on_register_clause(charter_id))
            .distinct()
        ).all()
        districts = {district for district, _ in pairs if district}
        sectors = {sector for _, sector in pairs if sector}
        if scheme_lists:
            districts.update(scheme_lists[0] or [])
            sectors.update(scheme_lists[1] or [])
        return FilterOptions(
            districts=sorted(districts),
            sectors=sorted(sectors),
            types=ORGANISATION_TYPES,
            standings=STANDING_FILTERS,
        )

    options = register_version.cache().get(version, ("filter_options", charter_id), compute)
    if award == DEFAULT_AWARD_NAME:
        return options
    return replace(options, standings=standing_filters(award))


# --- checking what was asked ------------------------------------------------------------------


@dataclass
class RegisterQuery:
    """The search, filters and position asked for, with an error message per field for what
    cannot be used. The page is not shown from a query with errors."""

    filters: Filters
    page: int = 1
    after: Key | None = None
    before: Key | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _control_characters(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def parse_query(args: Mapping[str, str], options: FilterOptions, charter_id: int) -> RegisterQuery:
    errors: dict[str, str] = {}

    def choice(name: str, allowed, message: str) -> str:
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            errors[name] = message
            return ""
        return value

    q = (args.get("q") or "").strip()
    if _control_characters(q):
        errors["q"] = "Organisation name must only include letters, numbers and punctuation"
        q = ""
    elif len(q) > MAX_QUERY_LENGTH:
        errors["q"] = f"Organisation name must be {MAX_QUERY_LENGTH} characters or fewer"
        q = ""
    filters = Filters(
        charter_id=charter_id,
        q=q,
        district=choice("district", options.districts, "Select a district from the list"),
        organisation_type=choice(
            "type", options.types, "Select a type of organisation from the list"
        ),
        sector=choice("sector", options.sectors, "Select a sector from the list"),
        standing=choice("standing", options.standings, "Select which organisations to show"),
    )
    query = RegisterQuery(filters, errors=errors)
    page_text = (args.get("page") or "").strip()
    if page_text:
        if not page_text.isascii() or not page_text.isdigit() or int(page_text) < 1:
            errors["page"] = "Page number must be a whole number, like 2"
        elif len(page_text) > MAX_PAGE_DIGITS:
            errors["page"] = "There is no page with that number"
        else:
            query.page = int(page_text)
    for name in ("after", "before"):
        text = args.get(name)
        if text is not None:
            try:
                setattr(query, name, decode_cursor(text))
            except InvalidCursor:
                errors["page"] = "The link to this page of results is not valid"
    return query


# --- the page ---------------------------------------------------------------------------------


class PageNotAvailable(Exception):
    """A page number beyond the results, or too deep to open directly."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def _current_mark(column, any_charter: bool):
    """``column`` of the organisation's current mark (the latest a renewal has not replaced, as
    ``marks.current_mark``), correlated: one index lookup per row of the page."""
    return (
        select(column)
        .select_from(CharterMark)
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .where(
            CharterMark.organisation_id == Organisation.id,
            CharterMark.status != MARK_SUPERSEDED,
            # The Mark of the register's charter, not another charter's.
            signings.of_charter(CharterMark.scheme_id, statement_charter(any_charter)),
        )
        .order_by(CharterMark.awarded_on.desc(), CharterMark.id.desc())
        .limit(1)
        .correlate(Organisation)
        .scalar_subquery()
    )


@cache
def _entry_columns(any_charter: bool):
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
        _current_mark(CharterMark.status, any_charter),
        _current_mark(CharterMark.expires_on, any_charter),
        _current_mark(Scheme.renewal_window_days, any_charter),
        sort_key(),
    )


@dataclass(frozen=True)
class RegisterPage:
    organisations: list[RegisterEntry]
    total: int
    page: int
    pages: int
    # Keyset positions of the first and last rows, for the previous and next links.
    first_key: Key | None = None
    last_key: Key | None = None
    # A name search with more matches than it shows (``SEARCH_SHOWN``; ``total`` is that many).
    more: bool = False


def count(filters: Filters, version: int) -> int:
    """Matching organisations: counted once per register version and filter combination (and
    day, for the standing filters: a Mark expires at midnight without a write). A name search
    is counted to one past ``SEARCH_SHOWN``: more than that reads as "more than"."""

    def compute() -> int:
        if not filters.q:
            statement = filtered(select(func.count()).select_from(Organisation), filters)
            return db.session.scalar(statement)
        matches = filtered(select(Organisation.id), filters).limit(SEARCH_SHOWN + 1)
        with custom_plans():
            return db.session.scalar(select(func.count()).select_from(matches.subquery()))

    day = date.today() if filters.standing else None
    return register_version.cache().get(version, ("count", filters, day), compute)


@lru_cache(maxsize=256)
def _rows_statement(filters_shape: Filters, after: bool, before: bool, reverse: bool):
    """The statement of :func:`_rows` for one shape of request, built once and run with each
    request's values (see ``register_query``)."""
    keys = page_keys(
        filters_shape,
        after=ANY_KEY if after else None,
        before=ANY_KEY if before else None,
        reverse=reverse,
        limit=0,
    )
    columns = _entry_columns(filters_shape.charter_id == signings.ANY_CHARTER)
    return in_key_order(select(*columns), keys, reverse=reverse)


def _rows(
    filters: Filters, *, after=None, before=None, reverse=False, offset=0, limit, common=False
):
    """``common``: a name search with more matches than it shows, read in name order
    (``query_plans.custom_plans``)."""
    statement = _rows_statement(shape(filters), after is not None, before is not None, reverse)
    params = page_params(filters, after=after, before=before, offset=offset, limit=limit)
    if filters.q:
        with custom_plans(name_order=common):
            rows = db.session.execute(statement, params).all()
    else:
        rows = db.session.execute(statement, params).all()
    entries = [RegisterEntry(*row) for row in rows]
    return entries[::-1] if reverse else entries


def search(query: RegisterQuery, version: int, per_page: int = PAGE_SIZE) -> RegisterPage:
    """One page of results: one query for the rows and their current marks (two when a stale
    link needs it), with the count from the per-version cache."""
    filters = query.filters
    total = count(filters, version)
    # Only a name search is capped: the register and its filters are counted whole and paged
    # through by their keyset links.
    more = bool(filters.q) and total > SEARCH_SHOWN
    if more:  # the first SEARCH_SHOWN matches, in name order, from the front
        total = SEARCH_SHOWN
    pages = max(1, -(-total // per_page))
    page = query.page
    if query.after is not None:
        rows = _rows(filters, after=query.after, limit=per_page + 1, common=more)
        # The page number in a link is a label only: keep it between its neighbours.
        page = pages if len(rows) <= per_page else max(2, min(page, pages - 1))
        rows = rows[:per_page]
        if not rows:  # the register shrank behind the link: show its last page
            return search(RegisterQuery(filters, page=pages), version, per_page)
    elif query.before is not None:
        rows = _rows(filters, before=query.before, reverse=True, limit=per_page + 1, common=more)
        if len(rows) <= per_page:  # nothing further back: this is the first page
            page, rows = 1, _rows(filters, limit=per_page, common=more)
        else:
            page, rows = max(2, min(page, pages - 1)), rows[1:]
    else:
        if page > pages and more:
            raise PageNotAvailable(
                f"There is no page {page:,}: a search shows its first {SEARCH_SHOWN:,} matches, "
                f"on {pages:,} pages. Add another word to the name to narrow it"
            )
        if page > pages:
            raise PageNotAvailable(
                f"There is no page {page:,}: the results fill {pages:,} "
                f"page{'' if pages == 1 else 's'}"
            )
        from_start = (page - 1) * per_page
        on_last = total - from_start
        from_end = max(total - page * per_page, 0)
        if from_start <= from_end or more:
            if from_start > MAX_DIRECT_OFFSET:
                raise _too_deep(page)
            rows = _rows(filters, offset=from_start, limit=per_page, common=more)
        else:
            if from_end > MAX_DIRECT_OFFSET:
                raise _too_deep(page)
            rows = _rows(filters, reverse=True, offset=from_end, limit=min(per_page, on_last))
    first_key = (rows[0].sort_key, rows[0].id) if rows else None
    last_key = (rows[-1].sort_key, rows[-1].id) if rows else None
    return RegisterPage(rows, total, page, pages, first_key, last_key, more)


def _too_deep(page: int) -> PageNotAvailable:
    return PageNotAvailable(
        f"Page {page:,} cannot be opened directly. Search for a name, use the filters, "
        "or go through the pages with ‘Next’ and ‘Previous’"
    )


# --- one organisation's page ------------------------------------------------------------------


def public_organisation(slug: str, charter_id: int) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(
            Organisation.slug == slug, register_entries.on_register_clause(charter_id)
        )
    )


def latest_signature(
    organisation: Organisation, charter_id: int
) -> tuple[Signature, Scheme] | None:
    """The organisation's latest signature of charter ``charter_id``'s schemes, with its scheme:
    an organisation that signed two charters shows each charter's page its own."""
    row = db.session.execute(
        select(Signature, Scheme)
        .join(Scheme, Scheme.id == Signature.scheme_id)
        .where(Signature.organisation_id == organisation.id, Scheme.charter_id == charter_id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
