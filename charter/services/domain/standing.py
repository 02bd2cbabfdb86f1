"""An organisation's standing, decided once: the standing of its Charter Mark (what /verify, the
badge, the certificate and the API's certificate answer say) and its public status on the register
(the register page and its filters, the CSV and JSON, the API, the Atom feed, the dashboards).

Both are read from the same table of rules below, from the signing's two lifecycles (its duties
as a signatory and its Mark's, ``States``) and its current Mark row (status, expiry, the
scheme's renewal window) on a given day. The register's list
filters in SQL: :func:`holding_clause` is the SQL form of :func:`holds_mark`, built from the same
rules, and a property test walks every combination to check they agree.

A holder stays a holder while its Mark is in force, whatever is happening to its renewal: the
Mark's lifecycle holds it through a renewal under assessment, information requested for it, or
a refused renewal, until the Mark expires, is suspended or is revoked, or the organisation
itself is suspended or lapses.
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


class States(NamedTuple):
    """A signing's two lifecycles (workflows.states): the signatory's duties and its Mark."""

    duties: str
    mark: str


def states_of(holder) -> States:
    """The two states of an organisation (its acting signing's), a signing or a query's row."""
    return States(holder.status, holder.mark_status)


# States that decide the standing whatever the Mark row says: a Mark still in date is not in
# force while the organisation is suspended or its commitment lapsed (its duties), or while its
# Mark is suspended for a missed duty. The duties are read first.
DUTY_OVERRIDES = {
    lifecycle.SUSPENDED: Override(PUBLIC_SUSPENDED, SUSPENDED),
    lifecycle.LAPSED: Override(PUBLIC_LAPSED, LAPSED),
}
MARK_OVERRIDES = {lifecycle.MARK_SUSPENDED: Override(PUBLIC_MARK_SUSPENDED, SUSPENDED)}
# Mark rows that are in force until their expiry date (unless a state above overrides).
MARK_IN_FORCE = (MARK_VALID,)
# What the public is told of an organisation without a Mark in force, by its duties: an
# application in progress or refused reads as "working towards", so it cannot be read from
# outside.
STATUS_WITHOUT_MARK = {
    lifecycle.SIGNATORY: SIGNATORY,
    lifecycle.PLAN_SUBMITTED: WORKING_TOWARDS,
    lifecycle.MONITORING: WORKING_TOWARDS,
}
# No Mark row recorded at all (organisations accredited before Marks were kept): the Mark's
# state alone.
STATUS_WITH_NO_MARK_RECORDED = {
    lifecycle.ACCREDITED: HOLDER,
    lifecycle.RENEWAL_DUE: HOLDER_RENEWAL_DUE,
    lifecycle.RENEWAL_UNDER_ASSESSMENT: HOLDER,
    lifecycle.RENEWAL_INFORMATION_REQUESTED: HOLDER,
}
STATUS_BY_MARK_STANDING = {
    VALID: HOLDER,
    RENEWAL_DUE: HOLDER_RENEWAL_DUE,
    SUSPENDED: PUBLIC_MARK_SUSPENDED,
}


def override(states: States | None) -> Override | None:
    if states is None:
        return None
    return DUTY_OVERRIDES.get(states.duties) or MARK_OVERRIDES.get(states.mark)


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
    states: States | None, mark: MarkFacts, today: date, renewal_window_days: int | None = None
) -> str:
    """The standing of ``mark`` on ``today`` for a signing in ``states`` (None: read the Mark
    alone). A superseded Mark counts as expired: its holder has a newer certificate. A Mark
    row in date is in force only while the Mark's lifecycle holds it (``HOLDING``)."""
    if mark.status == MARK_REVOKED:
        return REVOKED
    if mark.status == MARK_SUSPENDED:
        return SUSPENDED
    if mark.status in (MARK_EXPIRED, MARK_SUPERSEDED) or today > mark.expires_on:
        return EXPIRED
    if (found := override(states)) is not None:
        return found.mark_standing
    if mark.status not in MARK_IN_FORCE:
        return EXPIRED
    if states is not None and states.mark not in lifecycle.HOLDING:
        return REVOKED if states.mark == lifecycle.MARK_REVOKED else EXPIRED
    window = renewal_window_days
    if window is None:
        window = getattr(mark, "renewal_window_days", None)
    if window is not None and today >= mark.expires_on - timedelta(days=window):
        return RENEWAL_DUE
    return VALID


def public_status(states: States, mark: MarkFacts | None, today: date) -> str:
    """The organisation's public status (a key of ``register_query.PUBLIC_STATUS_LABELS``)."""
    if (found := override(states)) is not None:
        return found.public_status
    if mark is None:
        if states.duties == lifecycle.MONITORING and states.mark in STATUS_WITH_NO_MARK_RECORDED:
            return STATUS_WITH_NO_MARK_RECORDED[states.mark]
        return STATUS_WITHOUT_MARK.get(states.duties, SIGNATORY)
    held = STATUS_BY_MARK_STANDING.get(mark_standing(states, mark, today))
    return held or STATUS_WITHOUT_MARK.get(states.duties, SIGNATORY)


def holds_mark(states: States, mark: MarkFacts | None, today: date) -> bool:
    return public_status(states, mark, today) in HOLDER_STATUSES


def expired_on(states: States, mark: MarkFacts | None, today: date) -> date | None:
    """The day the current Mark expired, when that is what the public should be told."""
    if mark is None or override(states) is not None:
        return None
    if mark_standing(states, mark, today) == EXPIRED and mark.status != MARK_REVOKED:
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
    parameter): its duties and its Mark's lifecycle allow it, and its current Mark row is in
    force. A renewal supersedes every earlier Mark in force, so a Mark in force is the current
    one."""
    in_force = _marks_of_row(charter_id, _Mark.status.in_(MARK_IN_FORCE), _Mark.expires_on >= today)
    recorded_holders = list(STATUS_WITH_NO_MARK_RECORDED)
    none_recorded = ~_marks_of_row(charter_id, _Mark.status != MARK_SUPERSEDED)
    duties = signings.status_of_row(charter_id)
    mark = signings.status_of_row(charter_id, signings.Signing.mark_status)
    return and_(
        duties.not_in(list(DUTY_OVERRIDES)),
        mark.in_(list(lifecycle.HOLDING)),
        or_(
            in_force,
            and_(duties == lifecycle.MONITORING, mark.in_(recorded_holders), none_recorded),
        ),
    )


def signatory_clause(today, charter_id) -> ColumnElement[bool]:
    """SQL true for an organisation whose public status is a signatory's (working towards the
    Mark, or a signatory without one in force)."""
    states = [s for s, p in STATUS_WITHOUT_MARK.items() if p in SIGNATORY_STATUSES]
    suspended_marks = [MARK_SUSPENDED] if SUSPENDED in STATUS_BY_MARK_STANDING else []
    mark = signings.status_of_row(charter_id, signings.Signing.mark_status)
    return and_(
        signings.status_of_row(charter_id).in_(states),
        mark.not_in(list(MARK_OVERRIDES)),
        ~holding_clause(today, charter_id),
        ~_marks_of_row(charter_id, _Mark.status.in_(suspended_marks)),
    )
