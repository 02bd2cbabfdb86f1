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

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Organisation, Scheme
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.domain import register_entries
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME
from charter.services.infrastructure.query_plans import custom_plans
from charter.services.read_models import register_version
from charter.services.read_models.register_query import (
    MAX_QUERY_LENGTH,
    STANDING_FILTERS,
    Filters,
    InvalidCursor,
    Key,
    decode_cursor,
    filter_values_matter,
    filtered,
    standing_filters,
)
from charter.services.read_models.register_rows import (
    RegisterEntry,
    new_search_page,
    page_ends,
    page_rows,
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
            .where(register_entries.on_register_clause(charter_id, whole_register=True))
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


def _day_of(filters: Filters) -> date | None:
    """The day a count or a page's keys hold for: today for the standing filters, which read
    the Marks in force (a Mark expires at midnight, unwritten); None for the others."""
    return date.today() if filters.standing else None


def _count_key(filters: Filters) -> tuple:
    return ("count", filters, _day_of(filters))


def _page(rows: list[RegisterEntry], total: int, page: int, pages: int, more=False):
    """The page, with the keyset positions of its first and last rows for its links."""
    first_key = (rows[0].sort_key, rows[0].id) if rows else None
    last_key = (rows[-1].sort_key, rows[-1].id) if rows else None
    return RegisterPage(rows, total, page, pages, first_key, last_key, more)


def _new_search(query: RegisterQuery, version: int, per_page: int) -> RegisterPage | None:
    """A page of a name search this process has not counted in this version: counted and read
    by one statement (``register_rows.new_search_page``), the count then kept. None when the
    usual way must answer: counted before, a common word (past the cap: read in name order),
    or a page past the matches (its message needs the count, now kept)."""
    store = register_version.cache()
    key = _count_key(query.filters)
    offset = (query.page - 1) * per_page
    if store.peek(version, key) is not None or offset > MAX_DIRECT_OFFSET:
        return None
    found = new_search_page(query.filters, offset=offset, limit=per_page, cap=SEARCH_SHOWN + 1)
    if found is None:
        return None
    entries, total = found
    store.put(version, key, total)
    if total > SEARCH_SHOWN:
        return None
    if not entries:  # nothing matches: one empty page, as the usual way shows it
        return _page([], 0, 1, 1)
    return _page(entries, total, query.page, max(1, -(-total // per_page)))


def count(filters: Filters, version: int) -> int:
    """Matching organisations: counted once per register version and filter combination (and
    day, for the standing filters: a Mark expires at midnight without a write). A name search
    is counted to one past ``SEARCH_SHOWN``: more than that reads as "more than"."""

    def compute() -> int:
        if not filters.q:
            statement = filtered(
                select(func.count()).select_from(Organisation), filters, whole_register=True
            )
            return db.session.scalar(statement)
        matches = filtered(select(Organisation.id), filters).limit(SEARCH_SHOWN + 1)
        with custom_plans(when=filter_values_matter(filters)):
            return db.session.scalar(select(func.count()).select_from(matches.subquery()))

    return register_version.cache().get(version, _count_key(filters), compute)


def search(query: RegisterQuery, version: int, per_page: int = PAGE_SIZE) -> RegisterPage:
    """One page of results: one query for the rows and their current marks (two when a stale
    link needs it), with the count from the per-version cache."""
    filters = query.filters
    if filters.q and query.after is None and query.before is None:
        first = _new_search(query, version, per_page)
        if first is not None:
            return first
    total = count(filters, version)
    # Only a name search is capped: the register and its filters are counted whole and paged
    # through by their keyset links.
    more = bool(filters.q) and total > SEARCH_SHOWN
    if more:  # the first SEARCH_SHOWN matches, in name order, from the front
        total = SEARCH_SHOWN
    pages = max(1, -(-total // per_page))
    page = query.page
    name_order = more or _dense(filters, total, version, per_page)
    if query.after is not None:
        rows = page_rows(filters, after=query.after, limit=per_page + 1, name_order=name_order)
        # The page number in a link is a label only: keep it between its neighbours.
        page = pages if len(rows) <= per_page else max(2, min(page, pages - 1))
        rows = rows[:per_page]
        if not rows:  # the register shrank behind the link: show its last page
            return search(RegisterQuery(filters, page=pages), version, per_page)
    elif query.before is not None:
        before = query.before
        rows = page_rows(
            filters, before=before, reverse=True, limit=per_page + 1, name_order=name_order
        )
        if len(rows) <= per_page:  # nothing further back: this is the first page
            page, rows = 1, page_rows(filters, limit=per_page, name_order=name_order)
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
            rows = _numbered(
                filters, version, from_start, per_page, per_page=per_page, name_order=name_order
            )
        else:
            if from_end > MAX_DIRECT_OFFSET:
                raise _too_deep(page)
            limit = min(per_page, on_last)
            rows = _numbered(
                filters,
                version,
                from_end,
                limit,
                per_page=per_page,
                reverse=True,
                name_order=name_order,
            )
    return _page(rows, total, page, pages, more)


# A name search is read in name order (``page_rows(name_order=True)``) when a page of its matches
# lies within this many index entries of what it searches (the register, or a district, type
# or sector of it), on average: walking them, each tested in the index and none read from the
# table, costs less than reading every match of the word there from the table through the
# trigram index, and the same at any size for matches as dense. "severn" in Shrewsbury at
# 100,000 organisations: 441 of 14,304, a page within 650 entries (0.5 ms), where the trigram
# index read 412 rows (2.9 ms); at 500 organisations 3 of 72.
NAME_ORDER_WALK = 5_000


def _dense(filters: Filters, total: int, version: int, per_page: int) -> bool:
    """Whether a name search's ``total`` matches are dense enough to be read in name order."""
    if not filters.q or not total:
        return False
    searched = count(replace(filters, q=""), version)
    return per_page * searched <= NAME_ORDER_WALK * total


# A page at least this deep, asked by number, is read after the last key of the page before it
# (kept per version), not by OFFSET: each row skipped is an index entry and a probe of its
# signing (4 ms for page 50 at 100,000 organisations, against 0.5 ms for page 1).
KEPT_ENDS_FROM = 100


def _numbered(
    filters: Filters,
    version: int,
    offset: int,
    limit: int,
    *,
    per_page: int,
    reverse: bool = False,
    name_order: bool = False,
) -> list[RegisterEntry]:
    """``limit`` rows ``offset`` deep from the front (from the end with ``reverse``), on pages
    of ``per_page``; ``name_order`` as ``page_rows`` has it."""
    if filters.q or offset < KEPT_ENDS_FROM:
        return page_rows(
            filters, reverse=reverse, offset=offset, limit=limit, name_order=name_order
        )
    # Every page asked by number starts this many rows past a multiple of the page size.
    phase = offset % per_page
    offsets = range(phase or per_page, MAX_DIRECT_OFFSET + 1, per_page)
    ends = register_version.cache().get(
        version,
        ("page ends", filters, _day_of(filters), reverse, phase, per_page),
        lambda: page_ends(filters, offsets, reverse=reverse),
    )
    if offset not in ends:  # past the rows there are
        return page_rows(filters, reverse=reverse, offset=offset, limit=limit)
    if reverse:
        return page_rows(filters, before=ends[offset], reverse=True, limit=limit)
    return page_rows(filters, after=ends[offset], limit=limit)


def _too_deep(page: int) -> PageNotAvailable:
    return PageNotAvailable(
        f"Page {page:,} cannot be opened directly. Search for a name, use the filters, "
        "or go through the pages with ‘Next’ and ‘Previous’"
    )
