"""When the public register last changed, and per-process caches keyed on it.

Every transaction that writes a table the register publishes from bumps a one-row version as it
commits: ORM changes are seen in the session's pending and flushed objects, bulk statements
(``session.execute(update(Organisation)...)``) as they are executed. The bump runs in
``before_commit``, so the row is locked only for the moment of the commit, after the
transaction's own row locks: no lock-order cycle with ``SELECT ... FOR UPDATE`` on organisations.

Readers use the version for ETags and Last-Modified, and to key caches of what is costly and
changes only with the register (filter lists, counts): a repeat request costs one primary-key
lookup. Writes that bypass the ORM session (raw connections) must call :func:`bump` themselves.

A second counter, the *pages* version (row ``PAGES_STATE_ID`` of the same table), also moves
with changes to what an organisation's own public page shows besides the register's data: its
action plan's targets, its verified returns and its contracts (and what a charter's open
contracting files publish per contract: docs/ocds.md). It keys the cache of those pages,
so that a draft return being saved does not empty the register's caches. Every change to the
register moves both counters; both are read in one query.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from threading import Lock
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import (
    ActionPlan,
    AuditEvent,
    AwardedSupplier,
    Charter,
    CharterMark,
    Commissioner,
    Contract,
    ContractFigure,
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    RegisterState,
    ReturnLine,
    Scheme,
    Signature,
    Signing,
)
from charter.models.base import utcnow
from charter.models.register_state import REGISTER_STATE_ID
from charter.replica_session import reading_from_replica

# What the register, its open data, the API and the feed are read from (and the charter, whose
# words brand every page).
WATCHED_MODELS = (Charter, Organisation, Signing, Signature, CharterMark, Scheme, AuditEvent)
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED_MODELS)
# What an organisation's public page also shows: plan targets against verified returns (and the
# measures they count), contracts won. Draft returns are included: a line of a return can
# change as it is verified, and a missed bump would leave a stale page. And what a charter's
# open contracting files publish: figures per contract and their endorsements, the awards
# accepted from published notices, and the commissioners that let the contracts.
PAGE_MODELS = (
    *WATCHED_MODELS,
    ActionPlan,
    PlanTarget,
    Measure,
    MonitoringReturn,
    ReturnLine,
    Contract,
    ContractFigure,
    AwardedSupplier,
    Commissioner,
)
PAGE_TABLES = frozenset(model.__tablename__ for model in PAGE_MODELS)
PAGES_STATE_ID = 2
_CHANGED = "register_changed"
_PAGES_CHANGED = "register_pages_changed"
_BUMPED = "register_bumped"
_HELD = "register_version_held"
# Entries kept per process for one version: filter combinations and searches asked for.
CACHE_SIZE = 1024

T = TypeVar("T")


@dataclass(frozen=True)
class RegisterVersion:
    version: int
    changed_at: datetime | None
    # The organisation pages' counter: moves with the register and with plans, returns,
    # contracts.
    pages_version: int = 0
    pages_changed_at: datetime | None = None


def current() -> RegisterVersion:
    """The register's version, read at most once per ``REGISTER_VERSION_TTL`` seconds in each
    process (a change committed in this process is seen at once; one committed elsewhere within
    that time, well inside the pages' public max-age). A 304 then costs no query at all."""
    state = held()
    if state is not None:
        return state
    read_at = time.monotonic()
    state = _read()
    if current_app.config.get("REGISTER_VERSION_TTL", 0) > 0:
        current_app.extensions[_held_key()] = (read_at, state)
    return state


def held() -> RegisterVersion | None:
    """The version this process holds, if still fresh: then :func:`current` runs no query."""
    ttl = current_app.config.get("REGISTER_VERSION_TTL", 0)
    found = current_app.extensions.get(_held_key()) if ttl > 0 else None
    if found is not None and time.monotonic() - found[0] < ttl:
        return found[1]
    return None


def _held_key() -> str:
    """One held version per database read from: a request reading from the replica must not
    take the primary's newer version, or it would cache the replica's older answer under it."""
    return _HELD + (":replica" if reading_from_replica() else "")


def forget_held() -> None:
    """Read the versions again at the next :func:`current` (another process moved them)."""
    for key in (_HELD, _HELD + ":replica"):
        current_app.extensions.pop(key, None)


def _read() -> RegisterVersion:
    rows = db.session.execute(
        select(RegisterState.id, RegisterState.version, RegisterState.changed_at).where(
            RegisterState.id.in_((REGISTER_STATE_ID, PAGES_STATE_ID))
        )
    ).all()
    found = {row[0]: (row[1], row[2]) for row in rows}
    version, changed_at = found.get(REGISTER_STATE_ID, (0, None))
    pages_version, pages_changed_at = found.get(PAGES_STATE_ID, (0, None))
    return RegisterVersion(version, changed_at, pages_version, pages_changed_at)


def _bump_row(session: Session, row_id: int) -> None:
    dialect = session.get_bind(mapper=RegisterState.__mapper__).dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(RegisterState).values(id=row_id, version=1, changed_at=now)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[RegisterState.id],
            set_={"version": RegisterState.version + 1, "changed_at": now},
        )
    )


def bump(session: Session) -> None:
    """Count one change to the register (and so to the organisation pages), in ``session``'s
    transaction. Rows locked in id order, the same in every transaction."""
    _bump_row(session, REGISTER_STATE_ID)
    _bump_row(session, PAGES_STATE_ID)


def bump_pages(session: Session) -> None:
    """Count one change to the organisation pages only (a plan, a return, a contract)."""
    _bump_row(session, PAGES_STATE_ID)


def _changes(session: Session, models: tuple) -> bool:
    """Whether the session's pending objects change one of ``models``."""
    return (
        any(isinstance(obj, models) for obj in session.new)
        or any(isinstance(obj, models) for obj in session.deleted)
        or any(isinstance(obj, models) and session.is_modified(obj) for obj in session.dirty)
    )


def _changes_register(session: Session) -> bool:
    """Whether the session's pending objects change what the register publishes."""
    return _changes(session, WATCHED_MODELS)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _flush_context) -> None:
    # Still the pre-flush new, dirty and deleted collections here.
    if _changes_register(session):
        session.info[_CHANGED] = True
    elif _changes(session, PAGE_MODELS):
        session.info[_PAGES_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    if not (
        orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete
    ):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in WATCHED_TABLES:
        orm_execute_state.session.info[_CHANGED] = True
    elif name in PAGE_TABLES:
        orm_execute_state.session.info[_PAGES_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    # Flush first, so what the commit would flush after this hook is counted in this
    # transaction (its after_flush would otherwise leave a flag for the next one).
    session.flush()
    if session.info.get(_CHANGED) or _changes_register(session):
        session.info.pop(_CHANGED, None)
        session.info.pop(_PAGES_CHANGED, None)
        session.info[_BUMPED] = True
        bump(session)
    elif session.info.get(_PAGES_CHANGED) or _changes(session, PAGE_MODELS):
        session.info.pop(_PAGES_CHANGED, None)
        session.info[_BUMPED] = True
        bump_pages(session)


@event.listens_for(Session, "after_commit")
def _forget_held_version(session: Session) -> None:
    if session.info.pop(_BUMPED, False) and has_app_context():
        current_app.extensions.pop(_HELD, None)
        current_app.extensions.pop(_HELD + ":replica", None)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_PAGES_CHANGED, None)
    session.info.pop(_BUMPED, None)


# --- per-process caches -----------------------------------------------------------------------


class VersionCache:
    """Values computed from the register, kept while its version stays the same. One per app
    (each test's app starts empty); bounded, and emptied when the version moves on."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self.version: int | None = None
        self.values: dict[Hashable, object] = {}
        self.lock = Lock()

    def peek(self, version: int, key: Hashable):
        with self.lock:
            return self.values.get(key) if self.version == version else None

    def put(self, version: int, key: Hashable, value) -> None:
        with self.lock:
            if self.version != version:
                self.version, self.values = version, {}
            if len(self.values) >= self.size:
                self.values.pop(next(iter(self.values)))
            self.values[key] = value

    def get(self, version: int, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:
            if self.version != version:
                self.version, self.values = version, {}
            if key in self.values:
                return self.values[key]  # type: ignore[return-value]
        value = compute()
        with self.lock:
            if self.version == version:
                if len(self.values) >= self.size:
                    self.values.pop(next(iter(self.values)))
                self.values[key] = value
        return value


def cache(scope: str = "register", size: int = CACHE_SIZE) -> VersionCache:
    """The register's cache, or (``scope="pages"``) the organisation pages', keyed on the
    pages version (or another scope's, such as a charter's /impact, of ``size`` entries)."""
    key = f"{scope}_cache"
    found = current_app.extensions.get(key)
    if found is None:
        found = current_app.extensions.setdefault(key, VersionCache(size))
    return found
