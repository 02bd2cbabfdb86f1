"""The register as open data: the CSV and JSON exports, the API's keyset pages and one entry
(the feed of public changes is in register_feed).

Everything pages through the register in (lower(name), id) order with keyset positions compared
as a row, so each batch is an index range scan: an export's time grows linearly with its rows
(one query per batch, the current mark joined in; one more in the JSON for published
figures) and its memory stays flat.
No people, no evidence, no reasons given for refusals or sanctions, and an organisation's own
figures only with its consent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import Select, and_, func, select, true

from charter.extensions import db
from charter.models import Organisation, Scheme, Signature, Signing
from charter.models.assessment import CharterMark
from charter.models.organisation import ORGANISATION_SIZES, ORGANISATION_TYPES
from charter.services.domain import marks, register_entries, signings
from charter.services.domain import standing as rules
from charter.services.domain.signings import ANY_CHARTER
from charter.services.infrastructure.column_reads import column_rows
from charter.services.infrastructure.query_plans import custom_plans
from charter.services.infrastructure.spreadsheets import CsvColumn
from charter.services.read_models import public_standing
from charter.services.read_models.impact import published
from charter.services.read_models.register_query import (
    ANY_KEY,
    PUBLIC_STATUS_LABELS,
    Filters,
    Key,
    after_key,
    filter_params,
    filtered,
    in_key_order,
    in_order,
    page_keys,
    page_params,
    shape,
    sort_key,
    statement_charter,
)
from charter.services.read_models.register_rows import current_mark_of_row

# Rows fetched per query by the open-data exports; tests make it small to cross batches.
EXPORT_BATCH_SIZE = 1000

EXPORT_FIELDS = (
    CsvColumn("name", "Name", "The organisation's name."),
    CsvColumn("slug", "Slug", "The organisation's identifier in the register's web addresses."),
    CsvColumn("url", "Register page", "The organisation's page on the register.", "anyURI"),
    CsvColumn(
        "org_id", "Organisation identifier", "org-id.guide identifier, e.g. GB-COH-01234567."
    ),
    CsvColumn("type", "Type", "One of: " + "; ".join(ORGANISATION_TYPES.values()) + "."),
    CsvColumn("size", "Size", "One of: " + "; ".join(ORGANISATION_SIZES.values()) + "."),
    CsvColumn("sector", "Sector", "The organisation's main sector."),
    CsvColumn("town", "Town", "Where the organisation is based."),
    CsvColumn("district", "District", "The district the organisation is based in."),
    CsvColumn("status", "Status", "One of: " + ", ".join(PUBLIC_STATUS_LABELS) + "."),
    CsvColumn(
        "status_label",
        "Status in words",
        "The status as the register page shows it, e.g. 'Charter signatory — Charter Mark "
        "expired on 24 October 2028'.",
    ),
    CsvColumn("signed_on", "Signed on", "When the organisation last signed the charter.", "date"),
    CsvColumn(
        "charter_mark_certificate",
        "Charter Mark certificate",
        "The current Charter Mark's certificate number; empty without a Charter Mark.",
    ),
    CsvColumn(
        "charter_mark_awarded_on",
        "Charter Mark awarded on",
        "When the current Charter Mark was awarded; empty without one.",
        "date",
    ),
    CsvColumn(
        "charter_mark_expires_on",
        "Charter Mark expires on",
        "When the current Charter Mark expires; empty without one.",
        "date",
    ),
    CsvColumn(
        "charter_mark_standing",
        "Charter Mark standing",
        "One of: " + ", ".join(marks.STANDING_LABELS) + "; empty without a Charter Mark.",
    ),
)
EXPORT_COLUMNS = tuple(column.name for column in EXPORT_FIELDS)


class PublicMark(NamedTuple):
    """What the register publishes of an organisation's current Charter Mark, read in the same
    query as the organisation. It also stands for the mark's scheme (its renewal window) when
    the standing is worked out."""

    certificate_number: str
    awarded_on: date
    expires_on: date
    status: str
    renewal_window_days: int


class PublicOrganisation(NamedTuple):
    """What the API publishes of an organisation, read as plain columns: loading whole ORM
    organisations (thirty-odd columns each, and the identity map) was most of an API page's
    Python time. Reads like an organisation (``.slug``, ``.publishes_figures``)."""

    id: int
    slug: str
    name: str
    org_id: str | None
    organisation_type: str
    size: str
    sector: str
    town: str
    district: str
    status: str
    mark_status: str  # the Mark's lifecycle under this charter (the signing's, not the row's)
    publishes_figures: bool


@cache
def public_columns(any_charter: bool) -> tuple:
    """The register's public columns, for the statement of one charter's register (its id a
    parameter, ``charter_id``) or of any charter's (the API without ``charter=``)."""
    charter = statement_charter(any_charter)
    return (
        Organisation.id,
        Organisation.slug,
        Organisation.name,
        Organisation.org_id,
        Organisation.organisation_type,
        Organisation.size,
        Organisation.sector,
        Organisation.town,
        Organisation.district,
        # Its lifecycle under the charter whose register is asked for.
        signings.status_of_row(charter).label("status"),
        signings.status_of_row(charter, Signing.mark_status).label("mark_status"),
        signings.publishes_figures_column(),
    )


PUBLIC_COLUMNS = public_columns(False)


@dataclass(frozen=True)
class PublicEntry:
    """A public organisation with what the register publishes about it."""

    organisation: PublicOrganisation
    signed_at: datetime | None
    mark: PublicMark | None
    standing: str | None


@dataclass(frozen=True)
class KeysetPage:
    entries: list[PublicEntry]
    # (lower(name), id) of the last entry when more follow, else None.
    next_key: Key | None


def _latest_signed_at(any_charter: bool):
    """When the organisation last signed the charter asked for (its signatures under that
    charter's scheme versions), or any charter for any charter's register."""
    query = select(func.max(Signature.signed_at)).where(
        Signature.organisation_id == Organisation.id
    )
    if not any_charter:
        charter_schemes = select(Scheme.id).where(Scheme.charter_id == statement_charter(False))
        query = query.where(Signature.scheme_id.in_(charter_schemes))
    return query.correlate(Organisation).scalar_subquery()


_MARK_COLUMNS = (
    CharterMark.certificate_number,
    CharterMark.awarded_on,
    CharterMark.expires_on,
    CharterMark.status,
    Scheme.renewal_window_days,
)


def _with_current_mark(
    query: Select, dialect: str | None = None, *, any_charter: bool = False
) -> Select:
    """``query`` (of organisations) with the current mark's public columns and its scheme's
    renewal window, in the same query.

    On PostgreSQL a LATERAL subquery: it is run once for each row, an index probe of the marks
    of one organisation, so no plan can scan every mark (joined as a table, the marks were
    hashed from a sequential scan at 50,000 organisations). SQLite has no LATERAL, and joins
    the mark whose id a correlated lookup finds."""
    if (dialect or db.session.get_bind().dialect.name) == "postgresql":
        current = (
            current_mark_of_row(*_MARK_COLUMNS, any_charter=any_charter)
            .join(Scheme, Scheme.id == CharterMark.scheme_id)
            .lateral("current_mark")
        )
        return query.add_columns(*current.c).outerjoin(current, true())
    current_id = (
        current_mark_of_row(any_charter=any_charter)
        .with_only_columns(CharterMark.id)
        .scalar_subquery()
    )
    # Each join names its left side: the current mark's lookup holds a subquery of the
    # charter's scheme versions, which left SQLAlchemy unsure what to join the schemes to.
    return (
        query.add_columns(*_MARK_COLUMNS)
        .outerjoin_from(
            Organisation,
            CharterMark,
            and_(CharterMark.organisation_id == Organisation.id, CharterMark.id == current_id),
        )
        .outerjoin_from(CharterMark, Scheme, Scheme.id == CharterMark.scheme_id)
    )


@lru_cache(maxsize=256)
def _batch_statement(dialect: str, filters_shape: Filters, after: bool) -> Select:
    """The statement of :func:`_batch` for one shape of request, built once (statements are
    immutable) and run with each request's values."""
    keys = page_keys(filters_shape, after=ANY_KEY if after else None, limit=0)
    any_charter = filters_shape.charter_id == ANY_CHARTER
    columns = public_columns(any_charter)
    query = in_key_order(select(*columns, keys.c.sort_key, _latest_signed_at(any_charter)), keys)
    return _with_current_mark(query, dialect, any_charter=any_charter)


def _batch(filters: Filters, after: Key | None, limit: int):
    """Up to ``limit`` rows of (organisation, sort key, latest signing, current mark's columns)
    after ``after``: one query."""
    statement = _batch_statement(
        db.session.get_bind().dialect.name, shape(filters), after is not None
    )
    return column_rows(statement, page_params(filters, after=after, limit=limit))


def _entries(rows, today: date) -> list[PublicEntry]:
    """Rows of PUBLIC_COLUMNS, sort key, latest signing and the current mark's columns."""
    width = len(PUBLIC_COLUMNS)
    entries = []
    for row in rows:
        organisation = PublicOrganisation(*row[:width])
        _key, signed, *mark_columns = row[width:]
        # No current mark: its columns are all NULL (status is never NULL on a mark).
        mark = PublicMark(*mark_columns) if mark_columns[3] is not None else None
        # The mark carries its scheme's renewal window.
        standing = rules.mark_standing(rules.states_of(organisation), mark, today) if mark else None
        entries.append(PublicEntry(organisation, signed, mark, standing))
    return entries


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def export_rows(
    filters: Filters,
    url_for_slug: Callable[[str], str],
    *,
    today: date | None = None,
    with_figures: bool = False,
) -> Iterator[dict]:
    """Every matching organisation as an open-data row, in keyset batches of plain rows (no ORM
    objects: at 100,000 rows their construction was most of an export's time).

    ``with_figures`` (the JSON export) adds ``published_figures`` in the API's shape: the
    verified figures of an organisation that agreed to publish them, else ``[]``. They are
    fetched for a whole batch in one more query, and only when the batch has a consenting
    organisation."""
    today = today or date.today()
    any_charter = filters.charter_id == ANY_CHARTER
    columns = (
        *public_columns(any_charter),
        sort_key().label("sort_key"),
        _latest_signed_at(any_charter),
    )
    after: Key | None = None
    while True:
        batch_size = EXPORT_BATCH_SIZE
        query = filtered(select(*columns), filters)
        if after is not None:
            query = after_key(query, after)
        rows = db.session.execute(
            _with_current_mark(in_order(query).limit(batch_size), any_charter=any_charter),
            filter_params(filters),
        ).all()
        entries = _entries(rows, today)
        figures = (
            published.published_figures_of(
                [entry.organisation.id for entry in entries if entry.organisation.publishes_figures]
            )
            if with_figures
            else {}
        )
        for entry in entries:
            organisation, mark = entry.organisation, entry.mark
            fields = {
                "name": organisation.name,
                "slug": organisation.slug,
                "url": url_for_slug(organisation.slug),
                "org_id": organisation.org_id,
                "type": ORGANISATION_TYPES.get(
                    organisation.organisation_type, organisation.organisation_type
                ),
                "size": ORGANISATION_SIZES.get(organisation.size, organisation.size),
                "sector": organisation.sector,
                "town": organisation.town,
                "district": organisation.district,
                "status": rules.public_status(rules.states_of(organisation), mark, today),
                "status_label": public_standing.label(rules.states_of(organisation), mark, today),
                "signed_on": _iso(entry.signed_at),
                "charter_mark_certificate": mark.certificate_number if mark else None,
                "charter_mark_awarded_on": _iso(mark.awarded_on) if mark else None,
                "charter_mark_expires_on": _iso(mark.expires_on) if mark else None,
                "charter_mark_standing": entry.standing,
            }
            if with_figures:
                fields["published_figures"] = published.as_json(figures.get(organisation.id, []))
            yield fields
        if len(rows) < batch_size:
            return
        after = (rows[-1].sort_key, rows[-1].id)


# --- the JSON API: one keyset page at a time --------------------------------------------------


def keyset_page(
    filters: Filters,
    after: Key | None,
    limit: int,
    *,
    today: date | None = None,
) -> KeysetPage:
    """Up to ``limit`` matching organisations after the key ``after``, in the export's order:
    one query whatever the page size or the register's size."""
    # One row more than asked for says whether another page follows. A name search is planned
    # for its own word (charter.services.infrastructure.query_plans).
    if filters.q:
        with custom_plans():
            rows = _batch(filters, after, limit + 1)
    else:
        rows = _batch(filters, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_key = (rows[-1].sort_key, rows[-1].id) if more else None
    return KeysetPage(_entries(rows, today or date.today()), next_key)


def public_entry(slug: str, charter_id: int, *, today: date | None = None) -> PublicEntry | None:
    """One public organisation by slug; None for unknown or non-public ones."""
    any_charter = charter_id == ANY_CHARTER
    charter = statement_charter(any_charter)
    row = db.session.execute(
        _with_current_mark(
            select(*public_columns(any_charter), sort_key(), _latest_signed_at(any_charter)).where(
                Organisation.slug == slug, register_entries.on_register_clause(charter)
            ),
            any_charter=any_charter,
        ),
        {"charter_id": charter_id},
    ).first()
    if row is None:
        return None
    return _entries([row], today or date.today())[0]
