"""Charter Marks: certificate numbers, expiry, standing, history and the admin's sanctions."""

from __future__ import annotations

import calendar
import re
import secrets
from datetime import date
from typing import NamedTuple

from sqlalchemy import ScalarSelect, func, select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import AuditEvent, Organisation, User
from charter.models.assessment import (
    MARK_REVOKED,
    MARK_SUPERSEDED,
    MARK_SUSPENDED,
    MARK_VALID,
    Application,
    CharterMark,
)
from charter.models.base import utcnow
from charter.models.scheme import Scheme
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain import standing as standing_rules
from charter.services.domain.lifecycle import actor_for, transition
from charter.services.domain.standing import States
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

# No 0/O, 1/I/L or U/V pairs: a number read aloud or copied from paper comes out right.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CERTIFICATE_PREFIX = "CM-"
CERTIFICATE_LENGTH = 8
CERTIFICATE_RE = re.compile(rf"^CM-[{CERTIFICATE_ALPHABET}]{{{CERTIFICATE_LENGTH}}}$")

# The standings and their words are decided in ``standing`` (with the organisation's state).
VALID = standing_rules.VALID
RENEWAL_DUE = standing_rules.RENEWAL_DUE
EXPIRED = standing_rules.EXPIRED
SUSPENDED = standing_rules.SUSPENDED
REVOKED = standing_rules.REVOKED
LAPSED = standing_rules.LAPSED
STANDING_LABELS = standing_rules.STANDING_LABELS
STANDING_DESCRIPTIONS = standing_rules.STANDING_DESCRIPTIONS
STANDING_TAG_CLASSES = standing_rules.STANDING_TAG_CLASSES
SYSTEM_SUSPENSION_DESCRIPTION = standing_rules.SYSTEM_SUSPENSION_DESCRIPTION
HOLDING_STANDINGS = standing_rules.HOLDING_STANDINGS


class MarkEvent(NamedTuple):
    date: date
    kind: str  # gained | renewed | expired | revoked | suspended | reinstated
    text: str
    public_text: str = ""  # the same without reasons, for the register


def standing_description(standing_value: str, states: States | None = None) -> str:
    """Plain words for the certificate's standing; a system suspension says why in general."""
    if (
        standing_value == SUSPENDED
        and states is not None
        and states.mark == lifecycle.MARK_SUSPENDED
    ):
        return SYSTEM_SUSPENSION_DESCRIPTION
    return STANDING_DESCRIPTIONS[standing_value]


# --- certificate numbers and dates ------------------------------------------------------------


def new_certificate_number() -> str:
    """A random certificate number not yet used. Random, not sequential, so it reveals
    nothing about how many marks exist and cannot be guessed from a neighbour."""
    while True:
        number = CERTIFICATE_PREFIX + "".join(
            secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_LENGTH)
        )
        taken = db.session.scalar(
            select(CharterMark.id).where(CharterMark.certificate_number == number)
        )
        if taken is None:
            return number


def normalise_certificate_number(text: str | None) -> str:
    """'cm 7k3f-9qx2', 'CM7K3F9QX2' and '7K3F9QX2' all become 'CM-7K3F9QX2'."""
    compact = re.sub(r"[\s\-]", "", (text or "").upper())
    if len(compact) == CERTIFICATE_LENGTH + 2 and compact.startswith("CM"):
        compact = compact[2:]
    if len(compact) == CERTIFICATE_LENGTH:
        return CERTIFICATE_PREFIX + compact
    return compact


def is_certificate_number(text: str) -> bool:
    return CERTIFICATE_RE.match(text) is not None


def add_months(start: date, months: int) -> date:
    """Calendar months, clamping the day: 31 January plus one month is 28 (or 29) February."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# --- marks ------------------------------------------------------------------------------------


def renewal_runs_from(organisation: Organisation, scheme: Scheme, awarded_on: date) -> date | None:
    """The expiry date of the Mark a renewal awarded on ``awarded_on`` replaces, when the new
    Mark runs on from it (the scheme's ``renewal_runs_from_expiry``, and the Mark still in force
    that day); None when it runs from the award date."""
    if not scheme.renewal_runs_from_expiry:
        return None
    expiry = db.session.scalar(
        select(func.max(CharterMark.expires_on)).where(
            signings.belongs(CharterMark, organisation),
            CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
        )
    )
    return expiry if expiry is not None and expiry >= awarded_on else None


def create_mark(
    organisation: Organisation, application: Application, scheme: Scheme, awarded_on: date
) -> CharterMark:
    """Add a new mark to the session; a renewal supersedes the organisation's earlier mark. A
    renewal awarded before that mark expires runs from its expiry date, so no days are lost,
    unless the scheme says otherwise."""
    now = utcnow()
    runs_from = renewal_runs_from(organisation, scheme, awarded_on) or awarded_on
    earlier = db.session.scalars(
        select(CharterMark).where(
            signings.belongs(CharterMark, organisation),
            CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
        )
    )
    for previous in earlier:
        previous.status = MARK_SUPERSEDED
        previous.status_changed_at = now
    mark = CharterMark(
        organisation_id=organisation.id,
        signing_id=application.signing_id,
        application_id=application.id,
        scheme_id=scheme.id,
        certificate_number=new_certificate_number(),
        awarded_on=awarded_on,
        expires_on=add_months(runs_from, scheme.validity_months),
        status=MARK_VALID,
        status_changed_at=now,
    )
    db.session.add(mark)
    return mark


def current_mark(organisation: Organisation) -> CharterMark | None:
    """The organisation's latest mark that a renewal has not replaced (it may be expired or
    revoked: callers show its standing)."""
    return signings.row_of_signing(CharterMark, organisation, current_mark_id)


def current_mark_id(organisation_id, signing_id) -> ScalarSelect[int]:
    """SQL: the id of ``current_mark`` of the organisation's signing ``signing_id`` (NULL with
    none; ids or bound parameters), for a statement reading more with it (its public page)."""
    return (
        select(CharterMark.id)
        .where(
            signings.of_signing(CharterMark, organisation_id, signing_id),
            CharterMark.status != MARK_SUPERSEDED,
        )
        .order_by(CharterMark.awarded_on.desc(), CharterMark.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def evidence_since(organisation: Organisation) -> date | None:
    """Renewal (and any application after the first award) counts only returns for periods
    that end after the latest Charter Mark's award date; None before the first award."""
    return db.session.scalar(
        select(CharterMark.awarded_on)
        .where(signings.belongs(CharterMark, organisation))
        .order_by(CharterMark.awarded_on.desc(), CharterMark.id.desc())
        .limit(1)
    )


def scheme_of_mark(mark: CharterMark) -> Scheme:
    return db.session.get(Scheme, mark.scheme_id)


def standing(
    mark: CharterMark,
    today: date | None = None,
    scheme: Scheme | None = None,
    states: States | None = None,
) -> str:
    """valid, renewal_due, expired, suspended, revoked or lapsed: see ``standing``. Give the
    organisation's state wherever it is known (a suspended or lapsed organisation's Mark is not
    in force)."""
    today = today or date.today()
    in_date = mark.status in standing_rules.MARK_IN_FORCE and today <= mark.expires_on
    if scheme is None and in_date:  # only a Mark in date reads its scheme's renewal window
        scheme = scheme_of_mark(mark)
    window = scheme.renewal_window_days if scheme is not None else None
    return standing_rules.mark_standing(states, mark, today, window)


MARK_TRIGGERS = (
    "award_mark",
    "expire_mark",
    "revoke_mark",
    "suspend",
    "lift_suspension",
    "suspend_mark",
    "reinstate_mark",
)
HELD_STATES = lifecycle.HELD


def mark_history(organisation: Organisation) -> list[MarkEvent]:
    """Gaining, renewing, expiry, revocation, suspension and reinstatement of the mark, newest
    first, read from the audit trail; each award names the certificate it created. Each event
    has a public text without reasons for the register. Two queries, whatever the history."""
    marks_held = db.session.execute(
        select(CharterMark.certificate_number, CharterMark.expires_on)
        .where(signings.belongs(CharterMark, organisation))
        .order_by(CharterMark.awarded_on, CharterMark.id)
    ).all()
    if not marks_held:
        return []  # never held a mark: nothing to read from the audit trail
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            signings.events_of(organisation),
            AuditEvent.trigger.in_(MARK_TRIGGERS),
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    unclaimed = iter(marks_held)
    held, current = False, None
    out: list[MarkEvent] = []
    for event in events:
        when = event.created_at.date()
        if event.trigger == "award_mark":
            current = next(unclaimed, None)
            kind = "renewed" if held else "gained"
            text = "Renewed the Charter Mark" if held else "Gained the Charter Mark"
            if current:
                text += f", certificate {current.certificate_number}"
            out.append(MarkEvent(when, kind, text, text))
            held = True
        elif event.trigger == "expire_mark":
            text = "The Charter Mark expired"
            if current is not None:
                text += f" (it was valid until {format_date(current.expires_on)})"
            out.append(MarkEvent(when, "expired", text, text))
            held = False
        elif event.trigger == "revoke_mark":
            text = "The Charter Mark was revoked"
            full = f"{text}: {event.reason}" if event.reason else text
            out.append(MarkEvent(when, "revoked", full, text))
            held = False
        elif event.trigger == "suspend_mark":
            text = "The Charter Mark was suspended for a missed reporting duty"
            full = f"{text}: {event.reason}" if event.reason else text
            out.append(MarkEvent(when, "suspended", full, "The Charter Mark was suspended"))
        elif event.trigger == "reinstate_mark":
            text = "The Charter Mark was reinstated once the missed duty was met"
            out.append(MarkEvent(when, "reinstated", text, "The suspension was lifted"))
        # An administrator's suspension of the organisation, or its lifting, while it held a Mark
        # (the duties' audit rows do not name the Mark's state: ``held`` is read from the walk).
        elif event.trigger == "suspend" and held:
            text = "The Charter Mark was suspended"
            out.append(MarkEvent(when, "suspended", text, text))
        elif event.trigger == "lift_suspension" and held:
            text = "The suspension was lifted"
            out.append(MarkEvent(when, "reinstated", text, text))
    out.reverse()
    return out


# --- the administrator's sanctions ------------------------------------------------------------


def suspend(organisation: Organisation, admin: User, reason: str) -> None:
    transition(organisation, "suspend", actor_for(admin, organisation), reason=reason)
    mark = current_mark(organisation)
    if mark is not None and mark.status == MARK_VALID:
        mark.status = MARK_SUSPENDED
        mark.status_changed_at = utcnow()
    notices.marks.suspended(organisation, reason, mark)


def lift_suspension(organisation: Organisation, admin: User) -> None:
    transition(organisation, "lift_suspension", actor_for(admin, organisation))
    mark = current_mark(organisation)
    # Back to a system suspension (a missed duty not yet met): the mark stays suspended.
    reinstated = (
        mark is not None
        and mark.status == MARK_SUSPENDED
        and organisation.mark_status in lifecycle.HOLDING
    )
    if reinstated:
        mark.status = MARK_VALID
        mark.status_changed_at = utcnow()
    notices.marks.suspension_lifted(organisation, mark if reinstated else None)


def revoke_refused(organisation: Organisation) -> None:
    """Raise the refusal for revoking when there is no mark in force to revoke."""
    if organisation.status == lifecycle.SUSPENDED:
        raise TransitionRefused(
            f"{organisation.name} is suspended. Lift the suspension before revoking its "
            "Charter Mark."
        )
    raise TransitionRefused(
        f"{organisation.name} has no Charter Mark in force to revoke.",
        missing=["A valid Charter Mark"],
    )


def revoke(organisation: Organisation, admin: User, reason: str) -> CharterMark:
    mark = current_mark(organisation)
    in_force = mark is not None and (
        mark.status == MARK_VALID
        or (mark.status == MARK_SUSPENDED and organisation.mark_status == lifecycle.MARK_SUSPENDED)
    )
    if not in_force:
        revoke_refused(organisation)
    transition(organisation, "revoke_mark", actor_for(admin, organisation), reason=reason)
    mark.status = MARK_REVOKED
    mark.revoked_reason = reason
    mark.status_changed_at = utcnow()
    notices.marks.revoked(organisation, reason, mark)
    return mark
