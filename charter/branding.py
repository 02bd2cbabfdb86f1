"""The service's branding, from its default charter: the service name in the GOV.UK header (and
in page titles and emails) and the running body that signs its emails; and the charters' public
facts (slug, name, running body, area) that the charters' pages under /c/<slug>/ are found by.

A page under /c/<slug>/ is branded by its charter; every other page (the service home,
sign-in, account pages) by the default charter.

Every page renders the header, so the branding must not
cost a query per page: each process holds it (``current_app.extensions``), reads it again when a
charter changes in this process (a session event, on commit) and otherwise at most once per
``CHARTER_BRANDING_TTL`` seconds, so a charter changed by another process (``flask charter
load-scheme``) reaches every worker within that time. The public pages' HTTP caches move on at
once: a charter is one of the things the register's version watches.

A change committed in this process is read straight away, on a connection of its own, so the
page after it (and a test counting a page's queries) finds the branding held. A database that
cannot be read gives the configured words (SERVICE_NAME, else the default; SERVICE_OPERATOR),
so an error page still renders.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import Charter, Scheme
from charter.services.domain.charters import running_body_for, service_name_for
from charter.services.domain.scheme_features import DEFAULT_AWARD_NAME

_HELD = "charter_branding"
_CHANGED = "charter_branding_changed"


@dataclass(frozen=True)
class Branding:
    service_name: str
    running_body: str
    # The default charter's id (None before there is one): the charter every staff page acts in
    # until URLs name one (charter.auth.decorators), known with no query of its own.
    charter_id: int | None = None


@dataclass(frozen=True)
class CharterFacts:
    """A charter's public words, held by the process: what a page under /c/<slug>/ needs to
    know about its charter without a query (not a row: it outlives the request's session)."""

    id: int
    slug: str
    name: str
    service_name: str
    running_body: str
    area: str
    description: str
    # The ONS region its area is in (regions.py), None for none: the combined pages' choices.
    region: str | None = None
    # The name of the award its current scheme gives ("Charter Mark"), or None when the charter
    # awards none (a scheme file without [award]); a charter with no scheme yet keeps the
    # default. Ask it through ``charter.award``, never here.
    award_name: str | None = DEFAULT_AWARD_NAME

    @property
    def branding(self) -> Branding:
        return Branding(
            service_name_for(self.service_name), running_body_for(self.running_body), self.id
        )


@dataclass(frozen=True)
class _Held:
    branding: Branding
    charters: tuple[CharterFacts, ...]


def current_branding() -> Branding:
    """The default charter's branding, held by this process (see the module's docstring)."""
    return _held().branding


def held_charters() -> tuple[CharterFacts, ...]:
    """Every charter's public facts, oldest (the default) first, held like the branding."""
    return _held().charters


def read_again() -> None:
    """Forget the held copy, so the next page reads the charters again (an address naming a
    charter this process has not seen: perhaps another process has just created it)."""
    current_app.extensions.pop(_HELD, None)


def charter_with_id(charter_id: int | None) -> CharterFacts | None:
    return next((c for c in held_charters() if c.id == charter_id), None)


def _held() -> _Held:
    held = current_app.extensions.get(_HELD)
    ttl = current_app.config.get("CHARTER_BRANDING_TTL")
    if held is not None and (ttl is None or time.monotonic() - held[0] < ttl):
        return held[1]
    try:
        with db.session.no_autoflush:
            return _remember(db.session)
    except SQLAlchemyError:
        # The database cannot be read (down, or not migrated yet): an error page still renders,
        # with the configured words, and the next page tries again.
        current_app.logger.warning("The charter's branding could not be read", exc_info=True)
        return _Held(_branding(None), ())


def _remember(executor) -> _Held:
    read_at = time.monotonic()
    rows = executor.execute(
        select(
            Charter.id,
            Charter.slug,
            Charter.name,
            Charter.service_name,
            Charter.running_body,
            Charter.area,
            Charter.description,
            Charter.region,
            _current_scheme(Scheme.has_award).label("has_award"),
            _current_scheme(Scheme.award_name).label("award_name"),
        ).order_by(Charter.id)
    ).all()
    held = _Held(_branding(rows[0] if rows else None), tuple(_facts(row._mapping) for row in rows))
    current_app.extensions[_HELD] = (read_at, held)
    return held


def _current_scheme(column):
    """``column`` of the charter's current scheme (the one loaded last), in the same query."""
    return (
        select(column)
        .where(Scheme.charter_id == Charter.id, Scheme.is_current.is_(True))
        .order_by(Scheme.loaded_at.desc(), Scheme.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _facts(row) -> CharterFacts:
    facts = {k: v for k, v in row.items() if k not in ("has_award", "award_name")}
    if row["has_award"] is None:  # no scheme yet
        return CharterFacts(**facts)
    award = (row["award_name"] or DEFAULT_AWARD_NAME) if row["has_award"] else None
    return CharterFacts(**facts, award_name=award)


def _branding(row) -> Branding:
    return Branding(
        service_name=service_name_for(row.service_name if row else None),
        running_body=running_body_for(row.running_body if row else None),
        charter_id=row.id if row else None,
    )


def _changes_charters(session: Session) -> bool:
    return any(
        # A scheme version loaded may change the charter's award.
        isinstance(obj, Charter | Scheme)
        for objects in (session.new, session.dirty, session.deleted)
        for obj in objects
    )


@event.listens_for(Session, "after_flush")
def _note_changed_charters(session: Session, _flush_context) -> None:
    if _changes_charters(session):
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _read_again_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        current_app.extensions.pop(_HELD, None)
        # The session has just committed and may emit nothing more: a connection of its own.
        try:
            with db.engine.connect() as connection:
                _remember(connection)
        except SQLAlchemyError:
            current_app.logger.warning("The charter's branding could not be read", exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
