"""The one check that a page changing a versioned row was not out of date (issue 19).

A page that changes a :class:`charter.models.base.Versioned` row shows its version and posts it
back (:class:`charter.form_fields.VersionField`); the service calls :func:`check_version`
before changing anything. One rule, for every row: a version missing, not a whole number, or
not the row's own is refused with :class:`Stale`. A form that leaves the version out is never
taken as "nothing to check".

:class:`Stale` subclasses SQLAlchemy's ``StaleDataError`` rather than
:class:`charter.services.domain.refusals.Refused`, on purpose: to the person, a page out of date
and a lost race at commit (the version column's ``UPDATE ... WHERE version_id = :read``
matching no row) are the same event, "someone changed this first", and take the same path: the
one 409 page (charter/errors.py), and the ``except StaleDataError`` of the few views that flash
instead. As a ``Refused`` it would be put on a form field by
:func:`charter.refusals_on_forms.shown_on`, as if something typed were wrong.
"""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from charter.models.base import INTEGER_COLUMN_MAX, Versioned


class Stale(StaleDataError):
    """The page showed another version of the row than the one stored now (the 409 page);
    ``page_message`` is what that page says, when the row has its own words for it."""

    def __init__(self, row: Versioned, posted: object):
        super().__init__(
            f"{type(row).__name__} {getattr(row, 'id', None)} is at version {row.version_id}, "
            f"not {posted!r}"
        )
        if row.stale_message:
            self.page_message = row.stale_message


def parse_version(posted: object) -> int | None:
    """``posted`` as a version number: a whole number written in ASCII digits, that an Integer
    column can hold (spaces around it ignored); else None. ``0`` parses (it is no row's version,
    so :func:`check_version` refuses it as stale); ``-1``, ``1.0`` or ``"١"`` do not."""
    if isinstance(posted, bool):
        return None
    if isinstance(posted, int):
        return posted if 0 <= posted <= INTEGER_COLUMN_MAX else None
    text = posted.strip() if isinstance(posted, str) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > INTEGER_COLUMN_MAX:
        return None
    return int(text)


def check_version(row: Versioned, posted: object) -> None:
    """Refuse (:class:`Stale`) unless ``posted`` is the version of ``row`` stored now: the page
    the person acted on showed it. Missing (None or blank) and malformed versions are refused
    like old ones."""
    if parse_version(posted) != row.version_id:
        raise Stale(row, posted)
