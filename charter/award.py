"""The award of the charter in play, the one way pages, emails and views ask it (issue 21,
"Charters without a Mark").

Only some charters award a mark: a scheme says whether it has one and what it is called
(``Scheme.has_award``, ``award_name``; docs/scheme-files.md). A page or an email
acts in one charter (a public page's ``g.charter`` under /c/<slug>/, an organisation's page's
``?charter=``, a review run for a charter, else the default charter), and names that charter's
award by its name, or leaves out what is about an award when the charter has none.

``award_of()`` answers from the charters' facts the process holds (charter.branding), so asking
costs no query; a scheme version (a signing's) answers for itself. Templates have it as the
global ``award_of``; fixed words written for Shropshire's "Charter Mark" go through
``award_words`` so another award's name replaces it.
"""

from __future__ import annotations

from flask import g, has_request_context

from charter.acting_charter import acting_charter_facts
from charter.branding import CharterFacts, charter_with_id, held_charters
from charter.models.signing import acting_charter
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME, award_words

__all__ = ["award_of", "award_words", "charter_in_play", "charter_name", "named_subject"]

GENERIC_NAME = "Social Value Charter"


def award_of(subject=None) -> str | None:
    """The name of the award ("Charter Mark") of ``subject`` (a charter's facts, a scheme
    version, a charter id) or by default of the charter in play; None when it awards none."""
    if subject is None:
        subject = charter_in_play()
    elif isinstance(subject, int):
        subject = charter_with_id(subject)
    if subject is None:
        return DEFAULT_AWARD_NAME
    if isinstance(subject, CharterFacts):
        return subject.award_name
    # A scheme version.
    return (subject.award_name or DEFAULT_AWARD_NAME) if subject.has_award else None


def charter_in_play() -> CharterFacts | None:
    """The charter a page or email acts in: the public page's, the one its address names or
    the one acting (a review, an organisation's signing), else the default charter."""
    charter = g.get("charter") if has_request_context() else None
    charter = charter or acting_charter_facts()
    if charter is None and acting_charter.get() is not None:
        charter = charter_with_id(acting_charter.get())
    if charter is None:
        charters = held_charters()
        charter = charters[0] if charters else None
    return charter


def _charter_acting() -> CharterFacts | None:
    """The charter a page, a review or a command acts in, when one does: a public page's, the
    one an address names, or the acting charter; None where none is (not the default's)."""
    charter = g.get("charter") if has_request_context() else None
    charter = charter or acting_charter_facts()
    if charter is None and acting_charter.get() is not None:
        charter = charter_with_id(acting_charter.get())
    return charter


def charter_name() -> str:
    """What an email or page calls the charter it acts in: its name once the service hosts
    several (an organisation signed to two must know which one a reminder is about), else, or
    where none acts, the "Social Value Charter" it always was."""
    if len(held_charters()) <= 1:
        return GENERIC_NAME
    charter = _charter_acting()
    return charter.name if charter is not None else GENERIC_NAME


def named_subject(subject: str) -> str:
    """An email's subject, naming the charter it acts in once the service hosts several (two
    reminders for the same quarter under two charters would otherwise read the same)."""
    name = charter_name()
    if name == GENERIC_NAME or name in subject:
        return subject
    return f"{subject} ({name})"
