"""The public register: search, filters, open-data rows and the feed of public changes.

Only organisations in a public state appear, and only what an organisation publishes by signing
the charter: no people, no evidence, no reasons given for refusals or sanctions. The lifecycle
state is shown in plain, coarser words, so that (for example) an application in progress or
refused cannot be read from the register.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select

from charter.extensions import db
from charter.models import AuditEvent, Organisation, Scheme, Signature
from charter.models.assessment import MARK_SUPERSEDED, CharterMark
from charter.models.organisation import ORGANISATION_TYPES
from charter.services.domain import marks
from workflows import lifecycle

PAGE_SIZE = 20
# Rows fetched per query by the open-data exports; tests make it small to cross batches.
EXPORT_BATCH_SIZE = 500
FEED_SIZE = 50

HOLDERS = "holders"
SIGNATORIES = "signatories"
STANDING_FILTERS = {
    HOLDERS: "Charter Mark holders",
    SIGNATORIES: "Signatories working towards the Charter Mark",
}
HOLDING_STATES = (lifecycle.ACCREDITED, lifecycle.RENEWAL_DUE)
WORKING_TOWARDS_STATES = (
    lifecycle.SIGNATORY,
    lifecycle.PLAN_SUBMITTED,
    lifecycle.MONITORING,
    lifecycle.UNDER_ASSESSMENT,
    lifecycle.INFORMATION_REQUESTED,
)

# Public status: an assessment in progress reads as "working towards", so a refusal (back to
# monitoring) is not visible from outside.
PUBLIC_STATUS = {
    lifecycle.SIGNATORY: "signatory",
    lifecycle.PLAN_SUBMITTED: "working_towards",
    lifecycle.MONITORING: "working_towards",
    lifecycle.UNDER_ASSESSMENT: "working_towards",
    lifecycle.INFORMATION_REQUESTED: "working_towards",
    lifecycle.ACCREDITED: "holder",
    lifecycle.RENEWAL_DUE: "holder_renewal_due",
    lifecycle.MARK_SUSPENDED: "mark_suspended",
    lifecycle.LAPSED: "lapsed",
    lifecycle.SUSPENDED: "suspended",
}
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

# Public events for the feed: a new (or renewed) signature and a Charter Mark awarded.
FEED_TRIGGERS = {
    "sign": "signed the Social Value Charter",
    "award_mark": "was awarded the Social Value Charter Mark",
}


def public_status(state: str) -> str:
    return PUBLIC_STATUS.get(state, "signatory")


def public_status_label(state: str) -> str:
    return PUBLIC_STATUS_LABELS[public_status(state)]


def public_status_tag(state: str) -> str:
    return PUBLIC_STATUS_TAGS[public_status(state)]


def public_status_description(state: str) -> str:
    return PUBLIC_STATUS_DESCRIPTIONS[public_status(state)]


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Search and filters as asked for; values not on the allowed lists are dropped."""

    q: str = ""
    district: str = ""
    organisation_type: str = ""
    sector: str = ""
    standing: str = ""

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
            )
            if value
        }

    @property
    def active(self) -> bool:
        return bool(self.as_params())


@dataclass(frozen=True)
class FilterOptions:
    districts: list[str]
    sectors: list[str]
    types: Mapping[str, str]
    standings: Mapping[str, str]


def filter_options() -> FilterOptions:
    """Districts and sectors that public organisations have, in one query."""
    pairs = db.session.execute(
        select(Organisation.district, Organisation.sector)
        .where(Organisation.status.in_(lifecycle.PUBLIC_STATES))
        .distinct()
    ).all()
    return FilterOptions(
        districts=sorted({district for district, _ in pairs if district}),
        sectors=sorted({sector for _, sector in pairs if sector}),
        types=ORGANISATION_TYPES,
        standings=STANDING_FILTERS,
    )


def parse_filters(args: Mapping[str, str], options: FilterOptions) -> Filters:
    def allowed(name: str, values) -> str:
        value = (args.get(name) or "").strip()
        return value if value in values else ""

    return Filters(
        q=(args.get("q") or "").strip()[:200],
        district=allowed("district", options.districts),
        organisation_type=allowed("type", options.types),
        sector=allowed("sector", options.sectors),
        standing=allowed("standing", options.standings),
    )


def _filtered(query: Select, filters: Filters) -> Select:
    query = query.where(Organisation.status.in_(lifecycle.PUBLIC_STATES))
    if filters.q:
        query = query.where(
            func.lower(Organisation.name).contains(filters.q.lower(), autoescape=True)
        )
    if filters.district:
        query = query.where(Organisation.district == filters.district)
    if filters.organisation_type:
        query = query.where(Organisation.organisation_type == filters.organisation_type)
    if filters.sector:
        query = query.where(Organisation.sector == filters.sector)
    if filters.standing == HOLDERS:
        query = query.where(Organisation.status.in_(HOLDING_STATES))
    elif filters.standing == SIGNATORIES:
        query = query.where(Organisation.status.in_(WORKING_TOWARDS_STATES))
    return query


def _sort_key():
    return func.lower(Organisation.name)


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterPage:
    organisations: list[Organisation]
    total: int
    page: int
    pages: int


def search(filters: Filters, page: int = 1, per_page: int = PAGE_SIZE) -> RegisterPage:
    """One page of results and the total, in two queries. OFFSET is fine at a council's scale;
    the exports use keyset batches."""
    total = db.session.scalar(_filtered(select(func.count(Organisation.id)), filters)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    organisations = list(
        db.session.scalars(
            _filtered(select(Organisation), filters)
            .order_by(_sort_key(), Organisation.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return RegisterPage(organisations, total, page, pages)


def public_organisation(slug: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(
            Organisation.slug == slug, Organisation.status.in_(lifecycle.PUBLIC_STATES)
        )
    )


def latest_signature(organisation: Organisation) -> tuple[Signature, Scheme] | None:
    row = db.session.execute(
        select(Signature, Scheme)
        .join(Scheme, Scheme.id == Signature.scheme_id)
        .where(Signature.organisation_id == organisation.id)
        .order_by(Signature.signed_at.desc(), Signature.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


# --- open data --------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "name",
    "slug",
    "url",
    "org_id",
    "type",
    "size",
    "sector",
    "town",
    "district",
    "status",
    "status_label",
    "signed_on",
    "charter_mark_certificate",
    "charter_mark_awarded_on",
    "charter_mark_expires_on",
    "charter_mark_standing",
)


def _current_marks(organisation_ids: list[int]) -> dict[int, tuple[CharterMark, Scheme]]:
    """Each organisation's current mark with its scheme, for a whole batch in one query."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        select(CharterMark, Scheme)
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .where(
            CharterMark.organisation_id.in_(organisation_ids),
            CharterMark.status != MARK_SUPERSEDED,
        )
        .order_by(CharterMark.organisation_id, CharterMark.awarded_on.desc(), CharterMark.id.desc())
    ).all()
    found: dict[int, tuple[CharterMark, Scheme]] = {}
    for mark, scheme in rows:
        found.setdefault(mark.organisation_id, (mark, scheme))
    return found


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def export_rows(
    filters: Filters, url_for_slug, *, today: date | None = None
) -> Iterator[dict[str, str | None]]:
    """Every matching organisation as an open-data row, fetched in keyset batches ordered by
    (lower(name), id): two queries per batch, whatever the size of the register."""
    today = today or date.today()
    after: tuple[str, int] | None = None
    batch_size = EXPORT_BATCH_SIZE
    while True:
        query, sort_key = _in_register_order(filters, after)
        batch = db.session.execute(
            query.order_by(sort_key, Organisation.id).limit(batch_size)
        ).all()
        if not batch:
            return
        current = _current_marks([organisation.id for organisation, _, _ in batch])
        for organisation, _key, signed in batch:
            yield _row(organisation, signed, current.get(organisation.id), url_for_slug, today)
        if len(batch) < batch_size:
            return
        last_organisation, last_key, _ = batch[-1]
        after = (last_key, last_organisation.id)


def _standing_label(status: str, mark, today) -> str:
    from charter.services.read_models import public_standing

    return public_standing.label(status, mark, today)


def _row(organisation, signed, mark_and_scheme, url_for_slug, today) -> dict[str, str | None]:
    mark, scheme = mark_and_scheme or (None, None)
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "url": url_for_slug(organisation.slug),
        "org_id": organisation.org_id,
        "type": organisation.type_label,
        "size": organisation.size_label,
        "sector": organisation.sector,
        "town": organisation.town,
        "district": organisation.district,
        "status": public_status(organisation.status),
        "status_label": _standing_label(organisation.status, mark, today),
        "signed_on": _iso(signed),
        "charter_mark_certificate": mark.certificate_number if mark else None,
        "charter_mark_awarded_on": _iso(mark.awarded_on) if mark else None,
        "charter_mark_expires_on": _iso(mark.expires_on) if mark else None,
        "charter_mark_standing": marks.standing(mark, today=today, scheme=scheme) if mark else None,
    }


# --- the feed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    event_id: int
    organisation: Organisation
    title: str
    happened_at: datetime


def recent_public_changes(limit: int = FEED_SIZE) -> list[FeedEntry]:
    """New signatures and Charter Marks awarded, newest first, of organisations public now
    (a withdrawn organisation's history leaves the feed with it). No reasons: those can be
    private."""
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.trigger, AuditEvent.created_at, Organisation)
        .join(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(
            AuditEvent.trigger.in_(FEED_TRIGGERS),
            Organisation.status.in_(lifecycle.PUBLIC_STATES),
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        FeedEntry(event_id, organisation, f"{organisation.name} {FEED_TRIGGERS[trigger]}", when)
        for event_id, trigger, when, organisation in rows
    ]


# --- the JSON API: one keyset page at a time --------------------------------------------------


@dataclass(frozen=True)
class PublicEntry:
    """A public organisation with what the register publishes about it."""

    organisation: Organisation
    signed_at: datetime | None
    mark: CharterMark | None
    standing: str | None


@dataclass(frozen=True)
class KeysetPage:
    entries: list[PublicEntry]
    # (lower(name), id) of the last entry when more follow, else None.
    next_key: tuple[str, int] | None


def _entries(rows, today: date) -> list[PublicEntry]:
    current = _current_marks([organisation.id for organisation, _ in rows])
    entries = []
    for organisation, signed in rows:
        mark, scheme = current.get(organisation.id, (None, None))
        standing = marks.standing(mark, today=today, scheme=scheme) if mark else None
        entries.append(PublicEntry(organisation, signed, mark, standing))
    return entries


def _latest_signed_at():
    return (
        select(func.max(Signature.signed_at))
        .where(Signature.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )


def _in_register_order(filters: Filters, after: tuple[str, int] | None):
    """Matching organisations with their sort key and signing time, after the keyset position
    ``after`` in (lower(name), id) order: what the exports and the API page through."""
    sort_key = _sort_key()
    query = _filtered(select(Organisation, sort_key, _latest_signed_at()), filters)
    if after is not None:
        last_key, last_id = after
        query = query.where(
            or_(sort_key > last_key, and_(sort_key == last_key, Organisation.id > last_id))
        )
    return query, sort_key


def keyset_page(
    filters: Filters,
    after: tuple[str, int] | None,
    limit: int,
    *,
    today: date | None = None,
) -> KeysetPage:
    """Up to ``limit`` matching organisations after the key ``after``, in the export's order
    (lower(name), id): two queries whatever the page size or the register's size."""
    query, sort_key = _in_register_order(filters, after)
    # One row more than asked for says whether another page follows.
    rows = db.session.execute(query.order_by(sort_key, Organisation.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = _entries(
        [(organisation, signed) for organisation, _key, signed in rows], today or date.today()
    )
    next_key = (rows[-1][1], rows[-1][0].id) if more else None
    return KeysetPage(entries, next_key)


def public_entry(slug: str, *, today: date | None = None) -> PublicEntry | None:
    """One public organisation by slug; None for unknown or non-public ones."""
    row = db.session.execute(
        select(Organisation, _latest_signed_at()).where(
            Organisation.slug == slug, Organisation.status.in_(lifecycle.PUBLIC_STATES)
        )
    ).first()
    if row is None:
        return None
    return _entries([(row[0], row[1])], today or date.today())[0]


def is_public(organisation: Organisation) -> bool:
    return organisation.status in lifecycle.PUBLIC_STATES
