"""An organisation's standing, decided once: the standing of its Charter Mark (what /verify, the
badge, the certificate and the API's certificate answer say) and its public status on the register
(the register page and its filters, the CSV and JSON, the API, the Atom feed, the dashboards).

Both are read from the same table of rules below, from the organisation's lifecycle state and its
current Mark (status, expiry, the scheme's renewal window) on a given day. The register's list
filters in SQL: :func:`holding_clause` is the SQL form of :func:`holds_mark`, built from the same
rules, and a property test walks every combination to check they agree.

A holder stays a holder while its Mark is in force, whatever the lifecycle says of its renewal
(under assessment, information requested, refused and back to monitoring): until the Mark expires,
is suspended or is revoked, or the organisation itself is suspended or lapses.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple, Protocol

from sqlalchemy import ColumnElement, and_, literal, or_, select
from sqlalchemy.orm import aliased

from charter.models import Organisation
from charter.models.assessment import (
    MARK_EXPIRED,
    MARK_REVOKED,
    MARK_SUPERSEDED,
    MARK_SUSPENDED,
    MARK_VALID,
    CharterMark,
)
from charter.services.domain import signings
from workflows import lifecycle

# --- the Mark's standing --------------------------------------------------------------------

VALID = "valid"
RENEWAL_DUE = "renewal_due"
EXPIRED = "expired"
SUSPENDED = "suspended"
REVOKED = "revoked"
# The organisation's commitment lapsed while its Mark was still in date: it cannot rely on it.
LAPSED = "lapsed"
HOLDING_STANDINGS = (VALID, RENEWAL_DUE)

STANDING_LABELS = {
    VALID: "Valid",
    RENEWAL_DUE: "Valid, renewal due",
    EXPIRED: "Expired",
    SUSPENDED: "Suspended",
    REVOKED: "Revoked",
    LAPSED: "Not in force: commitment lapsed",
}
# A mark suspended by the scheduled reviews for a missed duty, not by an administrator.
SYSTEM_SUSPENSION_DESCRIPTION = (
    "This Charter Mark is suspended because the organisation has not met a reporting duty (a "
    "monitoring return or its annual confirmation). It is lifted once the duty is met. The "
    "organisation cannot rely on it while the suspension lasts; it is still a charter signatory."
)
# Plain words for people checking a certificate. Only the first two may say the mark is held.
STANDING_DESCRIPTIONS = {
    VALID: "This organisation holds the Social Value Charter Mark.",
    RENEWAL_DUE: "This organisation holds the Social Value Charter Mark. It expires soon and "
    "the organisation can apply to renew it.",
    EXPIRED: "This Charter Mark has expired. The organisation does not hold the Charter Mark "
    "on this certificate any more.",
    SUSPENDED: "This Charter Mark is suspended by the scheme administrators. The organisation "
    "cannot rely on it while the suspension lasts.",
    REVOKED: "This Charter Mark was revoked by the scheme administrators. The organisation "
    "does not hold the Charter Mark.",
    LAPSED: "This organisation's commitment to the charter has lapsed, so it cannot rely on "
    "this Charter Mark.",
}
STANDING_TAG_CLASSES = {
    VALID: "govuk-tag--green",
    RENEWAL_DUE: "govuk-tag--yellow",
    EXPIRED: "govuk-tag--grey",
    SUSPENDED: "govuk-tag--red",
    REVOKED: "govuk-tag--red",
    LAPSED: "govuk-tag--grey",
}

# --- the organisation's public status ---------------------------------------------------------

SIGNATORY = "signatory"
WORKING_TOWARDS = "working_towards"
HOLDER = "holder"
HOLDER_RENEWAL_DUE = "holder_renewal_due"
PUBLIC_MARK_SUSPENDED = "mark_suspended"
PUBLIC_LAPSED = "lapsed"
PUBLIC_SUSPENDED = "suspended"
HOLDER_STATUSES = (HOLDER, HOLDER_RENEWAL_DUE)
SIGNATORY_STATUSES = (SIGNATORY, WORKING_TOWARDS)

# --- the rules --------------------------------------------------------------------------------


class Override(NamedTuple):
    public_status: str
    mark_standing: str


# Lifecycle states that decide the standing whatever the Mark row says: a Mark still in date is
# not in force while the organisation is suspended, its Mark suspended for a missed duty, or its
# commitment lapsed.
STATE_OVERRIDES = {
    lifecycle.SUSPENDED: Override(PUBLIC_SUSPENDED, SUSPENDED),
    lifecycle.MARK_SUSPENDED: Override(PUBLIC_MARK_SUSPENDED, SUSPENDED),
    lifecycle.LAPSED: Override(PUBLIC_LAPSED, LAPSED),
}
# Mark rows that are in force until their expiry date (unless a state above overrides).
MARK_IN_FORCE = (MARK_VALID,)
# What the public is told of an organisation without a Mark in force, by lifecycle state: an
# application in progress or refused reads as "working towards", so it cannot be read from outside.
STATUS_WITHOUT_MARK = {
    lifecycle.SIGNATORY: SIGNATORY,
    lifecycle.PLAN_SUBMITTED: WORKING_TOWARDS,
    lifecycle.MONITORING: WORKING_TOWARDS,
    lifecycle.UNDER_ASSESSMENT: WORKING_TOWARDS,
    lifecycle.INFORMATION_REQUESTED: WORKING_TOWARDS,
    # A Mark expired or revoked before the reviews moved the state on: a signatory.
    lifecycle.ACCREDITED: SIGNATORY,
    lifecycle.RENEWAL_DUE: SIGNATORY,
}
# No Mark recorded at all (organisations accredited before Marks were kept): the state alone.
STATUS_WITH_NO_MARK_RECORDED = {
    **STATUS_WITHOUT_MARK,
    lifecycle.ACCREDITED: HOLDER,
    lifecycle.RENEWAL_DUE: HOLDER_RENEWAL_DUE,
}
STATUS_BY_MARK_STANDING = {
    VALID: HOLDER,
    RENEWAL_DUE: HOLDER_RENEWAL_DUE,
    SUSPENDED: PUBLIC_MARK_SUSPENDED,
}


class MarkFacts(Protocol):
    """What the rules read of a Mark: an ORM mark with its scheme, or columns of a query."""

    @property
    def status(self) -> str: ...

    @property
    def expires_on(self) -> date: ...


class Facts(NamedTuple):
    status: str
    expires_on: date
    renewal_window_days: int | None = None


def mark_standing(
    state: str | None, mark: MarkFacts, today: date, renewal_window_days: int | None = None
) -> str:
    """The standing of ``mark`` on ``today`` for an organisation in ``state`` (None: read the
    Mark alone). A superseded Mark counts as expired: its holder has a newer certificate."""
    if mark.status == MARK_REVOKED:
        return REVOKED
    if mark.status == MARK_SUSPENDED:
        return SUSPENDED
    if mark.status in (MARK_EXPIRED, MARK_SUPERSEDED) or today > mark.expires_on:
        return EXPIRED
    if state in STATE_OVERRIDES:
        return STATE_OVERRIDES[state].mark_standing
    if mark.status not in MARK_IN_FORCE:
        return EXPIRED
    window = renewal_window_days
    if window is None:
        window = getattr(mark, "renewal_window_days", None)
    if window is not None and today >= mark.expires_on - timedelta(days=window):
        return RENEWAL_DUE
    return VALID


def public_status(state: str, mark: MarkFacts | None, today: date) -> str:
    """The organisation's public status (a key of ``register_query.PUBLIC_STATUS_LABELS``)."""
    if state in STATE_OVERRIDES:
        return STATE_OVERRIDES[state].public_status
    if mark is None:
        return STATUS_WITH_NO_MARK_RECORDED.get(state, SIGNATORY)
    held = STATUS_BY_MARK_STANDING.get(mark_standing(state, mark, today))
    return held or STATUS_WITHOUT_MARK.get(state, SIGNATORY)


def holds_mark(state: str, mark: MarkFacts | None, today: date) -> bool:
    return public_status(state, mark, today) in HOLDER_STATUSES


def expired_on(state: str, mark: MarkFacts | None, today: date) -> date | None:
    """The day the current Mark expired, when that is what the public should be told."""
    if mark is None or state in STATE_OVERRIDES:
        return None
    if mark_standing(state, mark, today) == EXPIRED and mark.status != MARK_REVOKED:
        return mark.expires_on
    return None


# --- the same rules in SQL, for the register's list query ---------------------------------------


# Its own alias: the enclosing query may have the current mark joined as ``charter_marks``.
_Mark = aliased(CharterMark, name="standing_mark")


def _marks_of_row(charter_id, *conditions) -> ColumnElement[bool]:
    """Whether the organisation of the enclosing row has a Mark meeting ``conditions``: a
    correlated lookup with LIMIT 1, which PostgreSQL runs as an index probe per row it walks (an
    EXISTS may be planned as a hashed semi-join over a sequential scan of every Mark)."""
    return (
        select(literal(1))
        .select_from(_Mark)
        .where(
            _Mark.organisation_id == Organisation.id,
            signings.of_charter(_Mark.scheme_id, charter_id),
            *conditions,
        )
        .correlate(Organisation)
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )


def holding_clause(today, charter_id) -> ColumnElement[bool]:
    """SQL true for an organisation that :func:`holds_mark` on ``today`` (a date or a bound
    parameter). A renewal supersedes every earlier Mark in force, so a Mark in force is the
    current one."""
    in_force = _marks_of_row(charter_id, _Mark.status.in_(MARK_IN_FORCE), _Mark.expires_on >= today)
    recorded_holders = [s for s, p in STATUS_WITH_NO_MARK_RECORDED.items() if p in HOLDER_STATUSES]
    none_recorded = ~_marks_of_row(charter_id, _Mark.status != MARK_SUPERSEDED)
    status = signings.status_of_row(charter_id)
    return and_(
        status.not_in(list(STATE_OVERRIDES)),
        or_(in_force, and_(status.in_(recorded_holders), none_recorded)),
    )


def signatory_clause(today, charter_id) -> ColumnElement[bool]:
    """SQL true for an organisation whose public status is a signatory's (working towards the
    Mark, or a signatory without one in force)."""
    states = [s for s, p in STATUS_WITHOUT_MARK.items() if p in SIGNATORY_STATUSES]
    suspended_marks = [MARK_SUSPENDED] if SUSPENDED in STATUS_BY_MARK_STANDING else []
    return and_(
        signings.status_of_row(charter_id).in_(states),
        ~holding_clause(today, charter_id),
        ~_marks_of_row(charter_id, _Mark.status.in_(suspended_marks)),
    )
