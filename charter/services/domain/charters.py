"""Charters as rows: which one a scheme file belongs to, the default one, and creating one.

The service hosts several charters (charter.models.charter), each with its public pages under
/c/<slug>/. The *default* charter is the first one created, which for an existing service is
Shropshire's, made by the migration that introduced charters: the addresses from before /c/
lead to its pages. ``default_charter`` is the one name for it.

A scheme file names its charter in a [charter] table (charter_file.py). Loading a file whose
charter is new creates the charter; loading one whose charter exists adds a scheme version to it
and brings the charter's words up to date with the file, which is where a charter's settings
live until it has a settings page. A file without [charter] (written before charters were data)
loads into the default charter if it is the only one, and is refused otherwise: with several
charters, guessing which one a file means could put a scheme under the wrong council's name.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import Charter, Scheme
from charter.services.domain.refusals import Refused
from charter.services.domain.scheme_settings import SchemeFileError

# The header's service name while the service has no charter and SERVICE_NAME is not set.
DEFAULT_SERVICE_NAME = "Social Value Charter Mark"


class CharterCreationRefused(Refused):
    """A charter cannot be created as asked; the message says why."""


def default_charter() -> Charter | None:
    """The first charter: the one the service's existing URLs serve. None before any exists."""
    return db.session.scalar(select(Charter).order_by(Charter.id).limit(1))


def default_charter_id():
    """The default charter's id as a subquery, for narrowing a query to it without a query of
    its own."""
    return select(func.min(Charter.id)).scalar_subquery()


def charter_by_id(charter_id: int | None) -> Charter | None:
    return db.session.get(Charter, charter_id) if charter_id is not None else None


def charter_by_slug(slug: str) -> Charter | None:
    return db.session.scalar(select(Charter).where(Charter.slug == slug))


def all_charters() -> list[Charter]:
    return list(db.session.scalars(select(Charter).order_by(Charter.id)))


def contact_email_of(charter: Charter | None) -> str:
    """Where to write to about ``charter``: its own address, or until its running body gives one
    the service's SERVICE_CONTACT_EMAIL (a placeholder in development: config.py)."""
    if charter is not None and charter.contact_email:
        return charter.contact_email
    return current_app.config["SERVICE_CONTACT_EMAIL"]


def service_name_for(charter_service_name: str | None) -> str:
    """The service's name: SERVICE_NAME where the operator sets one, else the default
    charter's, else DEFAULT_SERVICE_NAME."""
    configured = current_app.config.get("SERVICE_NAME")
    return configured or charter_service_name or DEFAULT_SERVICE_NAME


def running_body_for(charter_running_body: str | None) -> str:
    """Who signs the service's emails: the default charter's running body, else (no charter
    yet) the service's operator, SERVICE_OPERATOR."""
    return charter_running_body or current_app.config["SERVICE_OPERATOR"]


def service_name() -> str:
    """The service's name, read now (one query): for work outside a page, such as a data
    export; pages use the name charter.branding holds."""
    charter = default_charter()
    return service_name_for(charter.service_name if charter else None)


def charter_for_scheme(fields: dict | None, scheme_slug: str) -> Charter:
    """The charter a scheme file loads into: the one its [charter] table names (created if new,
    its words updated from the file if not), or without the table the only charter there is.
    Not committed."""
    if fields is None:
        charter = _the_only_charter(scheme_slug)
    else:
        charter = charter_by_slug(fields["slug"])
        if charter is None:
            charter = Charter(**fields)
            db.session.add(charter)
            db.session.flush()
        else:
            _update(charter, fields)
    owner = db.session.scalar(select(Scheme.charter_id).where(Scheme.slug == scheme_slug).limit(1))
    if owner is not None and owner != charter.id:
        other = db.session.get(Charter, owner)
        raise SchemeFileError(
            f"the scheme '{scheme_slug}' belongs to the charter '{other.slug}', not to "
            f"'{charter.slug}': give this scheme a slug of its own"
        )
    return charter


def create_charter(fields: dict | None) -> Charter:
    """A new charter from a scheme file's [charter] table, refused if the file has none or its
    slug is taken. Not committed; the caller loads the scheme into it."""
    if fields is None:
        raise CharterCreationRefused(
            "the file has no [charter] table: a new charter needs one, with its slug, name, "
            "service name, running body, area and description"
        )
    if charter_by_slug(fields["slug"]) is not None:
        raise CharterCreationRefused(
            f"a charter with the slug '{fields['slug']}' exists already: to load a new version "
            "of its scheme, use `flask charter load-scheme FILE`"
        )
    charter = Charter(**fields)
    db.session.add(charter)
    db.session.flush()
    return charter


def _the_only_charter(scheme_slug: str) -> Charter:
    charters = all_charters()
    if len(charters) == 1:
        return charters[0]
    if not charters:
        raise SchemeFileError(
            "the file has no [charter] table and there is no charter yet to load it into: add "
            "a [charter] table (slug, name, service_name, running_body, area, description)"
        )
    slugs = ", ".join(c.slug for c in charters)
    raise SchemeFileError(
        f"the file has no [charter] table and the service hosts several charters ({slugs}): "
        f"add a [charter] table whose slug names the one the scheme '{scheme_slug}' belongs to"
    )


def _update(charter: Charter, fields: dict) -> None:
    for key, value in fields.items():
        if getattr(charter, key) != value:
            setattr(charter, key, value)
