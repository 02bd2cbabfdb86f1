"""An organisation's Public Procurement Organisation Number (PPON, issue 22): the identifier
Find a Tender gives a supplier that registers on the Central Digital Platform, published in
notices as the party id "GB-PPON-PZPR-8554-XHNX" (identifier scheme "GB-PPON", id
"PZPR-8554-XHNX"). An organisation records it, and awards in published notices are matched on it
as on its org-id (award_matching.Directory).

The format is checked as Find a Tender publishes PPONs: "P" and three letters, four digits,
four letters, in groups of four joined by hyphens. No published specification was found; the
pattern comes from the PPONs in Find a Tender's published records (docs/ocds.md). Spaces and
case aside, and with or without the hyphens or the "GB-PPON-" prefix, the same number is the
same PPON; anything else is refused with the format, never cut or guessed at. One PPON names one
organisation: it is unique across the service (and in the database).

Functions add to the session and never commit.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from charter.extensions import db
from charter.models import Organisation, User
from charter.models.published_notice import NoticeEvent
from charter.services.domain import published_notices
from charter.services.domain.identifiers import clean
from charter.services.domain.refusals import Refused

SCHEME = "GB-PPON"
_PPON = re.compile(r"^(P[A-Z]{3})-?([0-9]{4})-?([A-Z]{4})$")
FORMAT_MESSAGE = (
    "Enter a Public Procurement Organisation Number in the correct format, P and 3 letters, "
    "4 digits and 4 letters, like PABC-1234-DEFG"
)
LONGEST_INPUT = 40


class PponRefused(Refused):
    """A PPON that cannot be recorded; the message says why."""


def normalise_ppon(value: str | None) -> str:
    """The PPON as stored ("PABC-1234-DEFG"), or PponRefused naming the format."""
    if value is not None and len(value) > LONGEST_INPUT:
        raise PponRefused(FORMAT_MESSAGE, "ppon")
    text = clean(value)
    if not text:
        raise PponRefused("Enter your Public Procurement Organisation Number", "ppon")
    if text.startswith(SCHEME + "-"):
        text = text[len(SCHEME) + 1 :]
    match = _PPON.match(text)
    if match is None:
        raise PponRefused(FORMAT_MESSAGE, "ppon")
    return "-".join(match.groups())


def org_id_of(ppon: str) -> str:
    """The PPON as an org-id, as notices publish the party id."""
    return f"{SCHEME}-{ppon}"


def _audit(action: str, organisation: Organisation, user: User, detail: str) -> None:
    db.session.add(
        NoticeEvent(
            action=action,
            organisation_id=organisation.id,
            actor_id=user.id,
            actor_label=user.full_name,
            detail=detail,
        )
    )


def set_ppon(organisation: Organisation, value: str | None, user: User) -> dict[str, int]:
    """Record the organisation's PPON (refused if another organisation has it), then match
    again the imported awards that mention it; returns what the matching found."""
    ppon = normalise_ppon(value)
    if ppon == organisation.ppon:
        return {}
    holder = db.session.scalar(
        select(Organisation.id).where(Organisation.ppon == ppon, Organisation.id != organisation.id)
    )
    if holder is not None:
        raise PponRefused(
            "Another organisation has recorded this Public Procurement Organisation Number. "
            "Check it, or ask the charter’s administrators for help",
            "ppon",
        )
    before = organisation.ppon
    organisation.ppon = ppon
    db.session.flush()
    detail = f"{organisation.name} recorded its PPON {org_id_of(ppon)}"
    if before:
        detail += f" (was {org_id_of(before)})"
    _audit("ppon_set", organisation, user, detail)
    return published_notices.rematch(actor_label=user.full_name, mentioning=ppon)


def remove_ppon(organisation: Organisation, user: User) -> bool:
    """Awards already matched through it keep their match; new notices no longer match."""
    if organisation.ppon is None:
        return False
    _audit(
        "ppon_removed",
        organisation,
        user,
        f"{organisation.name} removed its PPON {org_id_of(organisation.ppon)}",
    )
    organisation.ppon = None
    return True
