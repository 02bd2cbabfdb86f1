"""What every public surface (register page and list, open data, API, Atom feed, dashboards) says
of an organisation's standing, in words: the standing itself is decided once, in
``charter.services.domain.standing``, from the lifecycle state and the current Mark; this module
gives it its label, tag and description, and the public Charter Mark history (dated, without
reasons).

An organisation whose Mark expired is still a charter signatory: "Charter signatory — Charter
Mark expired on 24 October 2028", not "No longer a signatory". A holder whose renewal is under
assessment is still a holder.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, select

from charter.formatting import format_date
from charter.models import AuditEvent, Organisation
from charter.models.assessment import CharterMark
from charter.models.scheme import Scheme
from charter.services.domain import marks, signings
from charter.services.domain import standing as rules
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME, award_words
from charter.services.infrastructure.column_reads import column_rows
from charter.services.read_models import register_query as register
from charter.services.read_models.register import RegisterEntry

EXPIRED_LABEL = "Charter signatory — Charter Mark expired on {date}"
EXPIRED_DESCRIPTION = (
    "This organisation has signed the charter and committed to its principles. Its Charter "
    "Mark expired on {date}; it can apply for the Charter Mark again."
)


def facts(mark: CharterMark | None, scheme: Scheme | None = None) -> rules.Facts | None:
    """What the rules read of an ORM mark (its scheme's renewal window read when not given)."""
    if mark is None:
        return None
    scheme = scheme or marks.scheme_of_mark(mark)
    return rules.Facts(mark.status, mark.expires_on, scheme.renewal_window_days)


def status(state: str, mark: rules.MarkFacts | None, today: date | None = None) -> str:
    """The public status key (``register_query.PUBLIC_STATUS_LABELS``)."""
    return rules.public_status(state, mark, today or date.today())


def label(
    state: str,
    mark: rules.MarkFacts | None,
    today: date | None = None,
    award: str | None = DEFAULT_AWARD_NAME,
) -> str:
    """The status's words, naming the charter's ``award`` (None: it has none)."""
    return _worded(
        state,
        mark,
        today,
        award_words(EXPIRED_LABEL, award),
        register.status_words(register.PUBLIC_STATUS_LABELS, award),
    )


def tag(state: str, mark: rules.MarkFacts | None, today: date | None = None) -> str:
    return register.PUBLIC_STATUS_TAGS[status(state, mark, today)]


def description(
    state: str,
    mark: rules.MarkFacts | None,
    today: date | None = None,
    award: str | None = DEFAULT_AWARD_NAME,
) -> str:
    return _worded(
        state,
        mark,
        today,
        award_words(EXPIRED_DESCRIPTION, award),
        register.status_words(register.PUBLIC_STATUS_DESCRIPTIONS, award),
    )


def _worded(state, mark, today: date | None, expired_text: str, by_status: dict) -> str:
    """The words for the standing: the expired Mark's, dated, or those of the public status."""
    today = today or date.today()
    expired = rules.expired_on(state, mark, today)
    if expired is not None:
        return expired_text.format(date=format_date(expired))
    return by_status[status(state, mark, today)]


def labels_for(
    entries: list[RegisterEntry],
    today: date | None = None,
    award: str | None = DEFAULT_AWARD_NAME,
) -> dict[int, tuple[str, str]]:
    """(label, tag class) for each organisation on a register page, from the current mark its
    row carries: no query."""
    today = today or date.today()
    labels = {}
    for entry in entries:
        states = rules.States(entry.status, entry.mark_state)
        labels[entry.id] = (label(states, entry.mark, today, award), tag(states, entry.mark, today))
    return labels


# The organisation's own losses and their reversal, beyond its Marks' history (which tells a
# holder's suspension and its lifting).
MARK_GAINED = ("award_mark",)
MARK_ENDED = ("expire_mark", "revoke_mark")
COMMITMENT_EVENTS = {
    "lapse": ("lapsed", "The organisation’s commitment to the charter lapsed"),
    "suspend": ("suspended", "Suspended by the scheme administrators"),
    "lift_suspension": ("reinstated", "The suspension was lifted"),
}


def public_history(
    organisation: Organisation, *, held_a_mark: bool = True
) -> list[marks.MarkEvent]:
    """The dated public record, newest first, without reasons: Marks gained, renewed,
    suspended, reinstated, expired and revoked, and the organisation's lapses and suspensions.
    ``held_a_mark=False`` (its current Mark is None: it never held one, since a renewal keeps a
    current Mark) skips reading its Marks."""
    events = [
        event._replace(text=event.public_text or event.text)
        for event in (marks.mark_history(organisation) if held_a_mark else ())
    ]
    signing = signings.signing_of(organisation)
    rows = (
        column_rows(
            _record_statement(), {"organisation_id": organisation.id, "signing_id": signing.id}
        )
        if signing is not None
        else []
    )
    held = False
    for when, trigger, _from_state, _to_state in rows:
        if trigger in MARK_GAINED or trigger in MARK_ENDED:
            held = trigger in MARK_GAINED
            continue
        # A holder's suspension and its lifting are already in its Marks' history.
        if trigger in ("suspend", "lift_suspension") and held:
            continue
        kind, text = COMMITMENT_EVENTS[trigger]
        events.append(marks.MarkEvent(when.date(), kind, text, text))
    # Newest first; sorted() keeps the Marks' own order within a day.
    return sorted(events, key=lambda event: event.date, reverse=True)


@cache
def _record_statement() -> Select:
    """``public_history``'s read of the audit trail, built once (every register page of an
    organisation reads it): the commitment's events and the Mark's gains and ends."""
    return (
        select(
            AuditEvent.created_at, AuditEvent.trigger, AuditEvent.from_state, AuditEvent.to_state
        )
        .where(
            signings.events_of_signing(bindparam("organisation_id"), bindparam("signing_id")),
            AuditEvent.trigger.in_([*COMMITMENT_EVENTS, *MARK_GAINED, *MARK_ENDED]),
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
