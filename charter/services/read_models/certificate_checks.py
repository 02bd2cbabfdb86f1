"""Public checks of a Charter Mark by its certificate number: the certificate page, the API's
certificate answer and the embeddable badge. Each is one query, because each is asked for by
many different numbers (a badge sits on its holder's own website), so most are rendered
afresh rather than served from the answer cache."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager

from charter.extensions import db
from charter.models import Organisation, Signing
from charter.models.assessment import CharterMark
from charter.models.scheme import Scheme
from charter.services.domain import marks, standing


class CertificateCheck(NamedTuple):
    """A Charter Mark found by its certificate number, with its scheme and its holder."""

    mark: CharterMark
    scheme: Scheme
    organisation: Organisation


def certificate_check(text: str | None) -> CertificateCheck | None:
    """The mark with this certificate number (in any case or spacing), its scheme and holder,
    in one query: a certificate check is asked for many different numbers, so it is mostly
    rendered afresh, and each round trip to the database was a fifth of its time."""
    number = marks.normalise_certificate_number(text)
    if not marks.is_certificate_number(number):
        return None
    row = db.session.execute(_check_statement(), {"number": number}).first()
    return CertificateCheck(*row) if row else None


@cache
def _check_statement() -> Select:
    """Built once (building it cost a fifth of the page): the Mark's signing comes too, as the
    holder's, since whether it is on the register is asked."""
    return (
        select(CharterMark, Scheme, Organisation)
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .join(Organisation, Organisation.id == CharterMark.organisation_id)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .options(contains_eager(Organisation.signings))
        .where(CharterMark.certificate_number == bindparam("number"))
    )


def standing_by_number(text: str | None) -> str | None:
    """The standing of the mark with this certificate number, None if there is none: one query
    of three columns (a badge is embedded on its holder's own website, and each holder's is a
    different address)."""
    number = marks.normalise_certificate_number(text)
    if not marks.is_certificate_number(number):
        return None
    row = db.session.execute(_standing_statement(), {"number": number}).first()
    if row is None:
        return None
    # The row stands for the mark (status, expiry, its scheme's renewal window).
    return standing.mark_standing(
        standing.States(row.organisation_status, row.organisation_mark_status), row, date.today()
    )


def charter_id_by_number(text: str | None) -> int | None:
    """The charter a Mark belongs to (its scheme's), by its certificate number, which is unique
    across the service: where an address without a charter in it sends a certificate's check
    and badge. None if there is no such Mark."""
    number = marks.normalise_certificate_number(text)
    if not marks.is_certificate_number(number):
        return None
    return db.session.scalar(
        select(Scheme.charter_id)
        .join(CharterMark, CharterMark.scheme_id == Scheme.id)
        .where(CharterMark.certificate_number == number)
    )


@cache
def _standing_statement() -> Select:
    """``standing_by_number``'s, built once (a badge is the cheapest answer the service gives)."""
    return (
        select(
            CharterMark.status,
            CharterMark.expires_on,
            Scheme.renewal_window_days,
            Signing.status.label("organisation_status"),
            Signing.mark_status.label("organisation_mark_status"),
        )
        .join(Scheme, Scheme.id == CharterMark.scheme_id)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .where(CharterMark.certificate_number == bindparam("number"))
    )
