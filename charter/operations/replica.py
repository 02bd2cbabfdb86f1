"""Which requests read from the PostgreSQL replica, and whether the replica is fit to be read.

With ``DATABASE_REPLICA_URL`` set, a GET or HEAD of a public page or of the API reads from the
replica (charter/replica_session.py routes the statements), unless:

- the person wrote something a moment ago: every POST (and any other unsafe method) is answered
  with a short-lived ``charter_read_primary`` cookie, and while it lasts their reads go to the
  primary, so no one sees their own change vanish. It lasts ``READ_YOUR_WRITES_SECONDS``, and
  never less than the largest lag the replica may have while it is read
  (``REPLICA_MAX_LAG_SECONDS`` plus ``REPLICA_CHECK_SECONDS``): after that the replica has it;
- the replica lags by more than ``REPLICA_MAX_LAG_SECONDS``;
- the replica is down, or a query on it failed in this process since its last check.

Each process checks the replica at most every ``REPLICA_CHECK_SECONDS`` (one small query on the
replica), not on every request. The lag is PostgreSQL's usual measure on a standby: nothing when
it has replayed all it has received, else the age of the last transaction it replayed. /readyz
reports it; a replica that is down or lagging does not make the host unready, since the primary
serves the reads meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from threading import Lock

from flask import Flask, current_app, request
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from charter.extensions import db
from charter.operations import connection_settings
from charter.replica_session import READS_FROM_REPLICA, REPLICA_ENGINE, reading_from_replica

READ_PRIMARY_COOKIE = "charter_read_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The pages whose reads may come from the replica: they only read, and show what anyone sees.
REPLICA_BLUEPRINTS = frozenset({"public", "api"})
_STATE = "charter_replica_state"
REPLICA_CONNECT_TIMEOUT = 3

LAG_QUERY = text(
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass
class ReplicaHealth:
    """What this process last learned of the replica."""

    checked_at: float | None = None
    up: bool = False
    lag_seconds: float | None = None

    def __post_init__(self) -> None:
        self.lock = Lock()


def configured(app: Flask | None = None) -> bool:
    app = app or current_app
    return REPLICA_ENGINE in app.extensions


def init_app(app: Flask) -> None:
    url = app.config.get("REPLICA_DATABASE_URI")
    if not url:
        return
    options: dict = {}
    if url.startswith("postgresql"):
        # A replica host that has gone away must not hold a request for the OS's TCP timeout.
        options["connect_args"] = {"connect_timeout": REPLICA_CONNECT_TIMEOUT}
    options = connection_settings.postgresql_options(
        url, options, app.config.get("DATABASE_STATEMENT_TIMEOUT_SECONDS", 0)
    )
    app.extensions[REPLICA_ENGINE] = create_engine(url, **options)
    app.extensions[_STATE] = ReplicaHealth()

    @app.before_request
    def choose_database() -> None:
        # A new request starts reading afresh, whatever the session wrote before it.
        db.session().info.pop("charter_wrote", None)
        request.environ[READS_FROM_REPLICA] = _may_read_from_replica()

    @app.after_request
    def remember_a_write(response):
        if request.method not in _SAFE_METHODS:
            seconds = read_your_writes_seconds(app)
            response.set_cookie(
                READ_PRIMARY_COOKIE,
                str(int(time.time() + seconds)),
                max_age=int(seconds) + 1,
                httponly=True,
                secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
                samesite="Lax",
            )
        return response


def read_your_writes_seconds(app: Flask) -> float:
    """How long after a write a person reads from the primary: at least as long as the replica
    may lag while it is being read."""
    config = app.config
    longest_lag = config["REPLICA_MAX_LAG_SECONDS"] + config["REPLICA_CHECK_SECONDS"]
    return max(config["READ_YOUR_WRITES_SECONDS"], longest_lag)


def _may_read_from_replica() -> bool:
    if request.method not in ("GET", "HEAD") or request.blueprint not in REPLICA_BLUEPRINTS:
        return False
    if _wrote_recently():
        return False
    health = replica_health()
    return (
        health.up
        and health.lag_seconds is not None
        and (health.lag_seconds <= current_app.config["REPLICA_MAX_LAG_SECONDS"])
    )


def _wrote_recently() -> bool:
    value = request.cookies.get(READ_PRIMARY_COOKIE)
    if value is None:
        return False
    try:
        until = int(value)
    except ValueError:
        return False
    # The cookie says until when; a client that keeps it longer gains nothing but primary reads.
    return time.time() < until


def replica_health() -> ReplicaHealth:
    """The replica's state, checked again if the last check is older than
    ``REPLICA_CHECK_SECONDS``. While one thread checks, others use the last answer."""
    health: ReplicaHealth = current_app.extensions[_STATE]
    interval = current_app.config["REPLICA_CHECK_SECONDS"]
    now = time.monotonic()
    if health.checked_at is not None and now - health.checked_at < interval:
        return health
    if not health.lock.acquire(blocking=health.checked_at is None):
        return health
    try:
        health.up, health.lag_seconds = _measure()
        health.checked_at = time.monotonic()
    finally:
        health.lock.release()
    return health


def _measure() -> tuple[bool, float | None]:
    engine = current_app.extensions[REPLICA_ENGINE]
    try:
        with engine.connect() as connection:
            if engine.dialect.name != "postgresql":
                connection.execute(text("SELECT 1"))
                return True, 0.0
            lag = connection.execute(LAG_QUERY).scalar_one()
    except SQLAlchemyError:  # down, refusing connections, starting up: read from the primary
        current_app.logger.warning("replica: unreachable; reads go to the primary")
        return False, None
    return True, float(lag)


def note_failure() -> None:
    """A query failed in a request that read from the replica: read from the primary until the
    next check finds it well again (the failure may have been the primary's; then this costs
    only some replica reads)."""
    if not configured() or not reading_from_replica():
        return
    health: ReplicaHealth = current_app.extensions[_STATE]
    health.up = False
    health.checked_at = time.monotonic()


def status() -> dict | None:
    """For /readyz: whether reads go to the replica, and its lag in seconds."""
    if not configured():
        return None
    health = replica_health()
    limit = current_app.config["REPLICA_MAX_LAG_SECONDS"]
    if not health.up:
        return {"state": "unreachable", "lag_seconds": None, "reads_from": "primary"}
    lagging = health.lag_seconds is None or health.lag_seconds > limit
    return {
        "state": "lagging" if lagging else "ok",
        "lag_seconds": None if health.lag_seconds is None else round(health.lag_seconds, 3),
        "reads_from": "primary" if lagging else "replica",
    }
