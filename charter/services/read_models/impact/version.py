"""Each charter's /impact version: what its ETag, Last-Modified and answer cache are keyed on.

/impact (the page, its CSV and its JSON) shows only the summary rows the rebuild adds up, beside
the scheme's measures, the proxy values in force and the charter's own words. It changes when
one of those is written, never with the register's everyday changes, so it has a version of its
own, per charter (``impact_versions``): any transaction that writes the summary rows (a rebuild),
proxy values, schemes, measures or charters moves every charter's row as it commits. The rebuild
is service-wide today, so it moves them all; a rebuild per charter would move its own.

A process holds the versions it read for ``REGISTER_VERSION_TTL`` seconds, like the register's
(a change committed in this process is seen at once, one committed elsewhere within that time,
well inside the pages' public max-age): a revalidation or a repeat then costs no query at all.
"""

from __future__ import annotations

import time
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import (
    Charter,
    ImpactBuild,
    ImpactCell,
    ImpactComparison,
    ImpactLifecycleCount,
    ImpactVersion,
    Measure,
    ProxyValue,
    Scheme,
)
from charter.models.base import utcnow

# What /impact and its open data are read from.
WATCHED_MODELS = (
    ImpactCell,
    ImpactComparison,
    ImpactLifecycleCount,
    ImpactBuild,
    ProxyValue,
    Scheme,
    Measure,
    Charter,
)
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED_MODELS)
_CHANGED = "impact_changed"
_BUMPED = "impact_bumped"
_HELD = "impact_versions_held"


def current(charter_id: int) -> tuple[int, datetime | None]:
    """The charter's /impact version and when it last moved: one query for every charter's,
    held by the process for ``REGISTER_VERSION_TTL`` seconds."""
    versions = held()
    if versions is None:
        read_at = time.monotonic()
        rows = db.session.execute(
            select(ImpactVersion.charter_id, ImpactVersion.version, ImpactVersion.changed_at)
        ).all()
        versions = {row[0]: (row[1], row[2]) for row in rows}
        if current_app.config.get("REGISTER_VERSION_TTL", 0) > 0:
            current_app.extensions[_HELD] = (read_at, versions)
    return versions.get(charter_id, (0, None))


def held() -> dict[int, tuple[int, datetime | None]] | None:
    """The versions this process holds, if still fresh: then :func:`current` runs no query."""
    ttl = current_app.config.get("REGISTER_VERSION_TTL", 0)
    found = current_app.extensions.get(_HELD) if ttl > 0 else None
    if found is not None and time.monotonic() - found[0] < ttl:
        return found[1]
    return None


def forget_held() -> None:
    """Read the versions again at the next :func:`current` (another process moved them)."""
    current_app.extensions.pop(_HELD, None)


def bump(session: Session) -> None:
    """Count one change to every charter's /impact, in ``session``'s transaction (rows locked
    in charter id order, the same in every transaction)."""
    charter_ids = list(session.scalars(select(Charter.id).order_by(Charter.id)))
    if not charter_ids:
        return
    dialect = session.get_bind(mapper=ImpactVersion.__mapper__).dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(ImpactVersion).values(
        [{"charter_id": i, "version": 1, "changed_at": now} for i in charter_ids]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ImpactVersion.charter_id],
            set_={"version": ImpactVersion.version + 1, "changed_at": now},
        )
    )


def _changes(session: Session) -> bool:
    return (
        any(isinstance(obj, WATCHED_MODELS) for obj in session.new)
        or any(isinstance(obj, WATCHED_MODELS) for obj in session.deleted)
        # A collection changing (an organisation joining a scheme's list) is not the row.
        or any(
            isinstance(obj, WATCHED_MODELS) and session.is_modified(obj, include_collections=False)
            for obj in session.dirty
        )
    )


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _flush_context) -> None:
    if _changes(session):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    if not (
        orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete
    ):
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        orm_execute_state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    # Flushed first, so every pending change has been seen (the bump's own query would flush
    # them otherwise, noting a change after it was counted).
    session.flush()
    if session.info.pop(_CHANGED, False):
        session.info[_BUMPED] = True
        bump(session)


@event.listens_for(Session, "after_commit")
def _forget_held_versions(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    if session.info.pop(_BUMPED, False) and has_app_context():
        current_app.extensions.pop(_HELD, None)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_BUMPED, None)
