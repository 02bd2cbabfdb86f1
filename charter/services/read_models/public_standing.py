"""What the public surfaces (register page, list, open data, API) say of an organisation's
standing once its Charter Mark has expired or is suspended for a missed duty, and its public
Charter Mark history (dated, without reasons).

An organisation whose Mark expired is still a charter signatory: "Charter signatory — Charter
Mark expired on 24 October 2028", not "No longer a signatory".
"""

from __future__ import annotations

from datetime import date

from charter.formatting import format_date
from charter.models import Organisation
from charter.models.assessment import MARK_EXPIRED, CharterMark
from charter.services.domain import marks
from charter.services.read_models import register_query as register
from charter.services.read_models.register import CurrentMark, RegisterEntry
from workflows import lifecycle

EXPIRED_LABEL = "Charter signatory — Charter Mark expired on {date}"
EXPIRED_DESCRIPTION = (
    "This organisation has signed the charter and committed to its principles. Its Charter "
    "Mark expired on {date}; it can apply for the Charter Mark again."
)
# An ORM mark or the two columns a register row carries: what the labels read is the same.
AnyMark = CharterMark | CurrentMark
# States in which an expired mark is what the public should be told about.
AFTER_EXPIRY_STATES = (
    lifecycle.MONITORING,
    lifecycle.UNDER_ASSESSMENT,
    lifecycle.INFORMATION_REQUESTED,
)


def expired_on(status: str, mark: AnyMark | None, today: date | None = None) -> date | None:
    """The day the organisation's latest Mark expired, when that is its public standing."""
    if mark is None or status not in AFTER_EXPIRY_STATES:
        return None
    today = today or date.today()
    if mark.status == MARK_EXPIRED or (mark.status != "revoked" and today > mark.expires_on):
        return mark.expires_on
    return None


def label(status: str, mark: AnyMark | None, today: date | None = None) -> str:
    expired = expired_on(status, mark, today)
    if expired is not None:
        return EXPIRED_LABEL.format(date=format_date(expired))
    return register.public_status_label(status)


def tag(status: str, mark: AnyMark | None, today: date | None = None) -> str:
    if expired_on(status, mark, today) is not None:
        return register.PUBLIC_STATUS_TAGS["signatory"]
    return register.public_status_tag(status)


def description(status: str, mark: AnyMark | None, today: date | None = None) -> str:
    expired = expired_on(status, mark, today)
    if expired is not None:
        return EXPIRED_DESCRIPTION.format(date=format_date(expired))
    return register.public_status_description(status)


def labels_for(entries: list[RegisterEntry]) -> dict[int, tuple[str, str]]:
    """(label, tag class) for each organisation on a register page, from the current mark its
    row carries: no query."""
    today = date.today()
    return {
        entry.id: (label(entry.status, entry.mark, today), tag(entry.status, entry.mark, today))
        for entry in entries
    }


def public_history(organisation: Organisation) -> list[marks.MarkEvent]:
    """The dated history of gained, renewed, suspended, reinstated, expired and revoked
    Marks, without reasons."""
    return [
        event._replace(text=event.public_text or event.text)
        for event in marks.mark_history(organisation)
    ]
