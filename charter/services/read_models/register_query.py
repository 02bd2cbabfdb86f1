"""What the register publishes and how it is queried: public statuses, filters, the sort key and
keyset positions. Shared by the register page, the open-data exports and the API.

Only organisations in a public state appear, and only what an organisation publishes by signing
the charter. The lifecycle state is shown in plain, coarser words, so that (for example) an
application in progress or refused cannot be read from the register.

The order is (lower(name), id) everywhere, and a position in it is compared as a row,
``(lower(name), id) > (:name, :id)``: PostgreSQL can then walk the index that ends in that key
(an OR of two conditions defeats it).

Every value a search, a filter or a position brings is a named parameter (``page_params``), so
the statement for one shape of request (which filters, which kind of position) can be built once
and run again with other values: building and caching the key of an API page's statement cost
as much Python time as running it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

from sqlalchemy import Date, Integer, Select, String, Subquery, bindparam, func, select, tuple_

from charter.models import Organisation
from charter.models.base import INTEGER_COLUMN_MAX
from charter.services.domain import register_entries, signings, standing
from charter.services.domain.scheme_features import award_words

HOLDERS = "holders"
SIGNATORIES = "signatories"
STANDING_FILTERS = {
    HOLDERS: "Charter Mark holders",
    SIGNATORIES: "Signatories working towards the Charter Mark",
}
# The standing filters in SQL, from the same rules as each organisation's public status.
STANDING_CLAUSES = {HOLDERS: standing.holding_clause, SIGNATORIES: standing.signatory_clause}
MAX_QUERY_LENGTH = 200

# The public status of an organisation is decided by ``charter.services.domain.standing`` (from
# its lifecycle state and its current Mark); these are its words.
PUBLIC_STATUS_LABELS = {
    "signatory": "Charter signatory",
    "working_towards": "Working towards the Charter Mark",
    "holder": "Charter Mark holder",
    "holder_renewal_due": "Charter Mark holder, renewal due",
    "mark_suspended": "Charter signatory — Charter Mark suspended",
    "lapsed": "No longer a signatory",
    "suspended": "Suspended",
}
PUBLIC_STATUS_TAGS = {
    "signatory": "govuk-tag--blue",
    "working_towards": "govuk-tag--turquoise",
    "holder": "govuk-tag--green",
    "holder_renewal_due": "govuk-tag--green",
    "mark_suspended": "govuk-tag--red",
    "lapsed": "govuk-tag--grey",
    "suspended": "govuk-tag--red",
}
PUBLIC_STATUS_DESCRIPTIONS = {
    "signatory": "This organisation has signed the charter and committed to its principles.",
    "working_towards": "This organisation has signed the charter and is working to a plan "
    "towards the Charter Mark.",
    "holder": "This organisation holds the Social Value Charter Mark.",
    "holder_renewal_due": "This organisation holds the Social Value Charter Mark. It expires "
    "soon and the organisation can apply to renew it.",
    "mark_suspended": "This organisation has signed the charter. Its Charter Mark is suspended "
    "because it has not met a reporting duty; the suspension is lifted once it does.",
    "lapsed": "This organisation signed the charter but its commitment has lapsed.",
    "suspended": "The scheme administrators have suspended this organisation.",
}


# A charter without an award (issue 21): its organisations are never holders, so the words of
# the statuses they can have name no Mark.
NO_AWARD_STATUS_LABELS = {
    **PUBLIC_STATUS_LABELS,
    "working_towards": "Charter signatory working to an action plan",
}
NO_AWARD_STATUS_DESCRIPTIONS = {
    **PUBLIC_STATUS_DESCRIPTIONS,
    "working_towards": "This organisation has signed the charter and is working to a "
    "timetabled action plan.",
}


def standing_filters(award: str | None) -> dict[str, str]:
    """The register's standing filters in the words of the charter's award ("Charter Mark"):
    none for a charter without one, whose signatories all stand alike."""
    if award is None:
        return {}
    return {key: award_words(text, award) for key, text in STANDING_FILTERS.items()}


def status_words(by_status: dict[str, str], award: str | None) -> Mapping[str, str]:
    """A table of statuses' words (``PUBLIC_STATUS_LABELS``, ``..._DESCRIPTIONS``) for a
    charter whose award is ``award`` (None: it has none)."""
    if award is None:
        return (
            NO_AWARD_STATUS_LABELS
            if by_status is PUBLIC_STATUS_LABELS
            else NO_AWARD_STATUS_DESCRIPTIONS
        )
    if by_status is not PUBLIC_STATUS_LABELS and by_status is not PUBLIC_STATUS_DESCRIPTIONS:
        return {k: award_words(text, award) for k, text in by_status.items()}
    # Made once per table and award (each row of a register or API page asks), and read-only.
    key = (id(by_status), award)
    found = _STATUS_WORDS.get(key)
    if found is None:
        found = MappingProxyType({k: award_words(text, award) for k, text in by_status.items()})
        _STATUS_WORDS[key] = found
    return found


_STATUS_WORDS: dict[tuple[int, str], Mapping[str, str]] = {}


def is_public(organisation: Organisation) -> bool:
    """On the public register (a public state, and its entry published)."""
    return register_entries.is_on_register(organisation)


@dataclass(frozen=True)
class Filters:
    """Search and filters, already checked against the allowed values, on the register of the
    charter ``charter_id`` (each charter's register lists its own signings; 0: every
    charter's, as the API without ``charter=``)."""

    q: str = ""
    district: str = ""
    organisation_type: str = ""
    sector: str = ""
    standing: str = ""
    charter_id: int = 0
    # Any charter's register narrowed to a region's charters (regions.py): its slug, and the
    # ids of its charters (a parameter of the statement, not part of its shape).
    region: str = ""
    region_charters: tuple[int, ...] = ()

    def as_params(self) -> dict[str, str]:
        """Only the filters in use, for links that keep them (pagination, downloads)."""
        return {
            name: value
            for name, value in (
                ("q", self.q),
                ("district", self.district),
                ("type", self.organisation_type),
                ("sector", self.sector),
                ("standing", self.standing),
                ("region", self.region),
            )
            if value
        }

    @property
    def active(self) -> bool:
        return bool(self.as_params())


def sort_key():
    return func.lower(Organisation.name)


def _contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards escaped with ``/``."""
    escaped = text.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


# The filters compared with a column, by field name: their values are parameters of the SQL
# (the standing filter is part of the SQL itself, and the search a LIKE pattern).
_COLUMN_FILTERS = {
    "district": Organisation.district,
    "organisation_type": Organisation.organisation_type,
    "sector": Organisation.sector,
}


def filter_params(filters: Filters, today: date | None = None) -> dict[str, object]:
    """The values of the filters in use, by the names :func:`filtered` gives them (the standing
    filter reads the Marks in force on ``today``)."""
    # One charter's register has its id as a parameter; any charter's has none (charter_param).
    params: dict[str, object] = (
        {} if filters.charter_id == signings.ANY_CHARTER else {"charter_id": filters.charter_id}
    )
    if filters.q:
        params["q_pattern"] = _contains_pattern(filters.q)
    if filters.standing:
        params["today"] = today or date.today()
    if filters.region:
        params["region_charters"] = list(filters.region_charters)
    for name in _COLUMN_FILTERS:
        if value := getattr(filters, name):
            params[name] = value
    return params


def shape(filters: Filters) -> Filters:
    """Which filters are in use, without their values (the standing filter is part of the SQL):
    requests of one shape run the same statement with other parameters."""
    in_use = (name for name in ("q", *_COLUMN_FILTERS) if getattr(filters, name))
    # Any charter (the API without charter=) is a statement of its own; one charter's is shared
    # by every charter (-1 here, its id a parameter).
    charter = signings.ANY_CHARTER if filters.charter_id == signings.ANY_CHARTER else -1
    region = "?" if filters.region else ""
    return replace(
        filters,
        charter_id=charter,
        region=region,
        region_charters=(),
        **dict.fromkeys(in_use, "?"),
    )


def statement_charter(any_charter: bool, value: int | None = None):
    """The charter in a register statement: the parameter ``charter_id`` (with ``value`` when
    given), or a plain 0 for any charter's, which puts no charter condition in the SQL."""
    if any_charter:
        return signings.ANY_CHARTER
    return bindparam("charter_id", value, type_=Integer)


def charter_param(filters: Filters):
    """The charter in a statement for ``filters``, with its value."""
    any_charter = filters.charter_id == signings.ANY_CHARTER
    return statement_charter(any_charter, filters.charter_id)


def filtered(query: Select, filters: Filters, *, whole_register: bool = False) -> Select:
    """``query`` of the entries on the register that match ``filters``. ``whole_register``:
    a statement that reads all of them at once, such as a count
    (``register_entries.on_register_clause``)."""
    params = filter_params(filters)
    charter = charter_param(filters)
    if filters.region:
        among = bindparam("region_charters", params.get("region_charters"), expanding=True)
        query = query.where(
            register_entries.on_register_among(among, whole_register=whole_register)
        )
    else:
        query = query.where(
            register_entries.on_register_clause(charter, whole_register=whole_register)
        )
    if "q_pattern" in params:
        # On PostgreSQL the trigram index on lower(name) serves this LIKE '%...%'.
        query = query.where(
            sort_key().like(bindparam("q_pattern", params["q_pattern"]), escape="/")
        )
    for name, column in _COLUMN_FILTERS.items():
        if name in params:
            query = query.where(column == bindparam(name, params[name]))
    if filters.standing in STANDING_CLAUSES:
        today = bindparam("today", params["today"], type_=Date)
        query = query.where(STANDING_CLAUSES[filters.standing](today, charter))
    return query


Key = tuple[str, int]
# Stands for a position when a statement is built for a shape of request, before its values.
ANY_KEY: Key = ("", 0)


def _key_params(prefix: str, key: Key):
    return tuple_(
        bindparam(f"{prefix}_name", key[0], type_=String),
        bindparam(f"{prefix}_id", key[1], type_=Integer),
    )


def after_key(query: Select, key: Key) -> Select:
    """Rows after ``key`` in register order, compared as a row so the index serves it."""
    return query.where(tuple_(sort_key(), Organisation.id) > _key_params("after", key))


def before_key(query: Select, key: Key) -> Select:
    return query.where(tuple_(sort_key(), Organisation.id) < _key_params("before", key))


def in_order(query: Select, *, reverse: bool = False) -> Select:
    if reverse:
        return query.order_by(sort_key().desc(), Organisation.id.desc())
    return query.order_by(sort_key(), Organisation.id)


def page_keys(
    filters: Filters,
    *,
    after: Key | None = None,
    before: Key | None = None,
    reverse: bool = False,
    offset: int = 0,
    limit: int,
) -> Subquery:
    """The ids and sort keys of one page of matching organisations, as a subquery to join the
    page's columns to. On PostgreSQL it is an index-only scan of an order index that carries
    status and name: a name search walks index entries, not table rows, and only the page's own
    rows are read from the table (a search within a district at 100,000 organisations: 0.6 ms
    against 5.3 ms reading each row it passed)."""
    query = filtered(select(Organisation.id, sort_key().label("sort_key")), filters)
    if after is not None:
        query = after_key(query, after)
    if before is not None:
        query = before_key(query, before)
    # The page's size and offset in the SQL itself where the plan cannot depend on the other
    # values: PostgreSQL guesses a tenth of the table for a LIMIT it cannot see, so the plan it
    # could keep for any value cost it more than one made for the values, and it planned every
    # page afresh (1 ms of its 1.3 ms). In the SQL, it keeps one plan (0.3 ms a page at 100,000
    # organisations). A search or a filter keeps them parameters: its best plan depends on the
    # word or value (``query_plans``), so it is planned for each.
    in_sql = value_free(filters)
    return (
        in_order(query, reverse=reverse)
        .offset(bindparam("page_offset", offset, type_=Integer, literal_execute=in_sql))
        .limit(bindparam("page_limit", limit, type_=Integer, literal_execute=in_sql))
        .subquery("page_keys")
    )


def value_free(filters: Filters) -> bool:
    """Whether the register's statement for ``filters`` has one best plan whatever its values:
    a charter's or a region's whole register, by keyset position; not a search or a filter."""
    return not filters.q and not filter_values_matter(filters)


def filter_values_matter(filters: Filters) -> bool:
    """Whether a filter is in use whose value changes the best plan: a district, type or sector
    (some are far commoner than others) or a standing."""
    return bool(filters.standing) or any(getattr(filters, name) for name in _COLUMN_FILTERS)


def page_params(
    filters: Filters,
    *,
    after: Key | None = None,
    before: Key | None = None,
    offset: int = 0,
    limit: int,
    today: date | None = None,
) -> dict[str, object]:
    """Every parameter of a statement built on :func:`page_keys` with these arguments: run a
    statement built once for their shape with these."""
    params: dict[str, object] = {
        **filter_params(filters, today),
        "page_offset": offset,
        "page_limit": limit,
    }
    for prefix, key in (("after", after), ("before", before)):
        if key is not None:
            params[f"{prefix}_name"], params[f"{prefix}_id"] = key
    return params


def in_key_order(query: Select, keys: Subquery, *, reverse: bool = False) -> Select:
    """``query`` joined to ``keys`` (from :func:`page_keys`), in the register's order."""
    query = query.join(keys, keys.c.id == Organisation.id)
    if reverse:
        return query.order_by(keys.c.sort_key.desc(), keys.c.id.desc())
    return query.order_by(keys.c.sort_key, keys.c.id)


# --- cursors: a keyset position in a link -------------------------------------------------------


class InvalidCursor(ValueError):
    pass


def encode_cursor(key: Key) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> Key:
    """The (lower(name), id) a cursor names; InvalidCursor for anything a link could not hold."""
    if len(text) > 2 * MAX_QUERY_LENGTH + 64:
        raise InvalidCursor(text)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError):
        value = None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], str)
        or "\x00" in value[0]
        or not isinstance(value[1], int)
        or isinstance(value[1], bool)
        or not 0 < value[1] <= INTEGER_COLUMN_MAX
    ):
        raise InvalidCursor(text)
    return value[0], value[1]
