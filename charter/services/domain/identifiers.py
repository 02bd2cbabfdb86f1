"""Organisation identifiers (org-id.guide lists) and UK postcodes: pure functions, no database.

An organisation's ``org_id`` is its list prefix and its identifier on that list, for example
"GB-COH-01234567". Identifiers are compared after upper-casing and removing spaces, so
"sc 123456" and "SC123456" name the same company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charter.services.domain.refusals import Refused

NO_IDENTIFIER = "none"


@dataclass(frozen=True)
class IdentifierScheme:
    code: str
    label: str  # the radio label
    name: str  # "Companies House number": used in messages
    pattern: re.Pattern[str]
    format_message: str
    hint: str


IDENTIFIER_SCHEMES: dict[str, IdentifierScheme] = {
    s.code: s
    for s in [
        IdentifierScheme(
            "GB-COH",
            "Companies House number",
            "Companies House number",
            re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$"),
            "Enter a Companies House number in the correct format, "
            "8 digits or 2 letters and 6 digits, like 01234567 or SC123456",
            "8 digits, or 2 letters and 6 digits, like 01234567 or SC123456",
        ),
        IdentifierScheme(
            "GB-CHC",
            "Charity Commission (England and Wales) number",
            "charity number",
            re.compile(r"^[0-9]{6,8}$"),
            "Enter a charity number in the correct format, 6 to 8 digits, like 1123456",
            "6 to 8 digits, like 1123456",
        ),
        IdentifierScheme(
            "GB-SC",
            "Scottish charity number",
            "Scottish charity number",
            re.compile(r"^SC[0-9]{6}$"),
            "Enter a Scottish charity number in the correct format, SC and 6 digits, like SC012345",
            "SC and 6 digits, like SC012345",
        ),
        IdentifierScheme(
            "GB-MPR",
            "Mutuals Public Register number",
            "Mutuals Public Register number",
            re.compile(r"^[A-Z]{0,2}[0-9]{1,6}R?$"),
            "Enter a Mutuals Public Register number in the correct format, "
            "up to 2 letters, up to 6 digits and an optional R, like 12345R or IP12345R",
            "Up to 2 letters, up to 6 digits and an optional R, like 12345R or IP12345R",
        ),
        IdentifierScheme(
            "GB-LAE",
            "Local authority (England) code",
            "local authority code",
            re.compile(r"^[A-Z]{3,4}$"),
            "Enter a local authority code in the correct format, 3 or 4 letters, like SHR",
            "3 or 4 letters, like SHR",
        ),
    ]
}


class InvalidIdentifier(Refused):
    """The identifier does not fit its list's format; the message says what is expected."""


def clean(value: str | None) -> str:
    """Upper case with every space removed."""
    return re.sub(r"\s+", "", value or "").upper()


def normalise_identifier(scheme_code: str, value: str | None) -> str:
    """The identifier as stored, or InvalidIdentifier with a message naming the format."""
    scheme = IDENTIFIER_SCHEMES.get(scheme_code)
    if scheme is None:
        raise InvalidIdentifier("Select how your organisation is identified")
    identifier = clean(value)
    if not identifier:
        raise InvalidIdentifier(f"Enter your {scheme.name}")
    # Companies House numbers are 8 characters; people often drop the leading zeros.
    if scheme_code == "GB-COH" and identifier.isdigit() and 6 <= len(identifier) <= 8:
        identifier = identifier.zfill(8)
    if not scheme.pattern.match(identifier):
        raise InvalidIdentifier(scheme.format_message)
    return identifier


def make_org_id(scheme_code: str, identifier: str | None) -> str | None:
    if scheme_code == NO_IDENTIFIER or not identifier:
        return None
    return f"{scheme_code}-{identifier}"


# The shape of UK postcodes (outward code, then inward code), BS 7666 letters, and GIR 0AA.
_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"[A-PR-UWYZ]([0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str | None) -> str | None:
    """The postcode in upper case with a single space ("sy1 1aa" -> "SY1 1AA"), or None."""
    compact = clean(value)
    if not 5 <= len(compact) <= 7 or not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
