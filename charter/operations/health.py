"""Probes for a load balancer or orchestrator.

/healthz says the process answers (liveness): it touches nothing else, so a database outage
does not get every worker restarted. /readyz says this worker can serve (readiness): the
database answers, its schema is at the migrations' head, and evidence can be written. With a
replica configured it also reports the replica's lag and where public reads go.
"""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from charter.extensions import db
from charter.operations import replica
from charter.services.infrastructure.storage import evidence_storage

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}, 200


@bp.get("/readyz")
def readyz():
    checks = {
        "database": _database(),
        "migrations": "not checked",
        "storage": _storage(),
    }
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ready else "error", **checks}
    # Reported, not required: while the replica is down or lagging the primary serves reads.
    replica_state = replica.status()
    if replica_state is not None:
        body["replica"] = replica_state
    return body, 200 if ready else 503


def migration_heads() -> set[str]:
    """The head revisions of migrations/, read once per process."""
    heads = current_app.extensions.get("charter_migration_heads")
    if heads is None:
        directory = current_app.extensions["migrate"].directory
        heads = set(ScriptDirectory(directory).get_heads())
        current_app.extensions["charter_migration_heads"] = heads
    return heads


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means not ready
        current_app.logger.exception("readiness: database unreachable")
        db.session.rollback()
        return "unreachable"
    return "ok"


def _migrations() -> str:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:  # no alembic_version table: never migrated
        db.session.rollback()
        return "not migrated"
    return "ok" if current == migration_heads() else "not at head"


def _storage() -> str:
    try:
        evidence_storage().check_writable()
    except Exception:  # a full disk, a missing bucket, bad credentials
        current_app.logger.exception("readiness: evidence storage not writable")
        return "not writable"
    return "ok"
