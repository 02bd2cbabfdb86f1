"""The [charter] table of a scheme file: which charter the scheme belongs to, and that charter's
words (charter.models.charter says why a charter is data).

A scheme file carries its charter so that one file is enough to set a charter up
(``flask charter create-charter FILE``) and to load each new version of its scheme
(``flask charter load-scheme FILE``). Every field is checked here, with a message that names the
field and says what is allowed: a value that is too long is refused, never cut short, because
these words are printed on certificates and public pages in the running body's name.

The running body is the issuer of the charter's Charter Marks. Older files name it in an
``[issuer]`` table (``name``, ``members``); a file with ``[charter]`` names it there
(``running_body``, ``running_body_members``) and must not have ``[issuer]`` as well, so there is
one place to change it.

``region`` (optional) is the ONS region the charter's area is in (regions.py), for the combined
pages of a region's charters.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from charter.models.charter import (
    AREA_LENGTH,
    DESCRIPTION_LENGTH,
    EMAIL_LENGTH,
    NAME_LENGTH,
    SERVICE_NAME_LENGTH,
    SLUG_LENGTH,
    WEBSITE_LENGTH,
)
from charter.services.domain import regions
from charter.services.domain.scheme_settings import SchemeFileError
from charter.services.domain.text import clean_text

WHERE = "[charter]"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WEBSITE_PATTERN = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?")
MEMBERS_LENGTH = 1000

# Each text field: whether the file must give it, and its longest length.
TEXT_FIELDS = {
    "name": (True, NAME_LENGTH),
    "service_name": (True, SERVICE_NAME_LENGTH),
    "running_body": (True, NAME_LENGTH),
    "running_body_members": (False, MEMBERS_LENGTH),
    "area": (True, AREA_LENGTH),
    "description": (True, DESCRIPTION_LENGTH),
}
FIELDS = ("slug", *TEXT_FIELDS, "region", "contact_email", "website")


def charter_table(data: dict) -> dict | None:
    """The checked [charter] table of a parsed scheme file, with the Charter's column names as
    keys; None when the file has none."""
    table = data.get("charter")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise SchemeFileError("scheme: 'charter' must be a table, [charter]", ("charter",))
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise SchemeFileError(
            f"{WHERE}: unknown key '{unknown[0]}'; the keys are {', '.join(FIELDS)}",
            ("charter", unknown[0]),
        )
    if "issuer" in data:
        raise SchemeFileError(
            f"{WHERE} and [issuer] both name who runs the charter: write it once, as "
            f"'running_body' (and 'running_body_members') in {WHERE}, and remove [issuer]",
            ("issuer",),
        )
    out = {"slug": _slug(table)}
    for key, (required, longest) in TEXT_FIELDS.items():
        out[key] = _text(table, key, required=required, longest=longest)
    out["contact_email"] = _email(table)
    out["website"] = _website(table)
    if "region" in table:
        # Only when the file gives it: a file without it leaves the region a service
        # administrator set (regions.py).
        out["region"] = _region(table)
    return out


def running_body_as_issuer(charter: dict) -> dict:
    """The scheme version's record of who issues its Marks, from the charter's running body (the
    same keys as ``scheme_settings.issuer_table``, so a file whose [issuer] moved into [charter]
    keeps its content hash and loads as the same version)."""
    return {
        "issuer_name": charter["running_body"],
        "issuer_members": charter["running_body_members"],
    }


def _at(key: str) -> tuple:
    return ("charter", key)


def _string(table: dict, key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SchemeFileError(f"{WHERE}: '{key}' must be text, in quotes", _at(key))
    return value


def _slug(table: dict) -> str:
    value = _string(table, "slug")
    if value is None:
        raise SchemeFileError(f"{WHERE}: 'slug' is missing", ("charter",))
    if len(value) > SLUG_LENGTH:
        raise SchemeFileError(
            f"{WHERE}: 'slug' must be {SLUG_LENGTH} characters or fewer", _at("slug")
        )
    if not SLUG_PATTERN.fullmatch(value):
        raise SchemeFileError(
            f"{WHERE}: 'slug' must be lower-case letters and digits, words joined by single "
            f'hyphens, like "shropshire" or "cheshire-west", not "{value}"',
            _at("slug"),
        )
    return value


def _text(table: dict, key: str, *, required: bool, longest: int) -> str | None:
    value = clean_text(_string(table, key)) or None
    if value is None:
        if required:
            missing = "is missing" if key not in table else "cannot be empty"
            raise SchemeFileError(f"{WHERE}: '{key}' {missing}", _at(key))
        return None
    if len(value) > longest:
        raise SchemeFileError(
            f"{WHERE}: '{key}' must be {longest} characters or fewer (it has {len(value)})",
            _at(key),
        )
    return value


def _region(table: dict) -> str | None:
    value = _string(table, "region")
    try:
        return regions.checked(value)
    except regions.RegionRefused:
        written = ", ".join(f'"{slug}"' for slug in regions.REGIONS)
        raise SchemeFileError(
            f"{WHERE}: 'region' must be one of the ONS regions, written {written}; not \"{value}\"",
            _at("region"),
        ) from None


def _email(table: dict) -> str | None:
    value = (_string(table, "contact_email") or "").strip()
    if not value:
        return None
    if len(value) > EMAIL_LENGTH:
        raise SchemeFileError(
            f"{WHERE}: 'contact_email' must be {EMAIL_LENGTH} characters or fewer",
            _at("contact_email"),
        )
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise SchemeFileError(
            f"{WHERE}: 'contact_email' must be an email address, like "
            f'"socialvalue@council.gov.uk", not "{value}" ({exc})',
            _at("contact_email"),
        ) from exc
    return value


def _website(table: dict) -> str | None:
    value = (_string(table, "website") or "").strip()
    if not value:
        return None
    if len(value) > WEBSITE_LENGTH:
        raise SchemeFileError(
            f"{WHERE}: 'website' must be {WEBSITE_LENGTH} characters or fewer", _at("website")
        )
    if not WEBSITE_PATTERN.fullmatch(value):
        raise SchemeFileError(
            f"{WHERE}: 'website' must be a web address starting https://, like "
            f'"https://www.council.gov.uk/social-value", not "{value}"',
            _at("website"),
        )
    return value
