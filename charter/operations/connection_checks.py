"""Checking pooled PostgreSQL connections before use: those that sat idle, not every one.

SQLAlchemy's ``pool_pre_ping`` sends a round trip before each request's first query. Under load
on two cores a round trip waits for the database process to be scheduled, and a rendered public
page needs only one other. What kills a pooled connection (an idle timeout in a proxy or
firewall, a restart or failover of the database) strikes connections left unused, so a
connection handed back within ``IDLE_PING_SECONDS`` is used as it is, and one idle for longer is
pinged first, as before. A dead one raises DisconnectionError, and the pool replaces it with a
new connection and retries the checkout (SQLAlchemy's documented pessimistic handling). A
connection that dies while busy fails that request, which pre-ping would not have prevented
either: it gets the 503 page (charter/errors.py), and since psycopg reports the lost connection
as a disconnect, SQLAlchemy empties the whole pool, so the next request connects afresh without
a restart of the app. The replica's pool, if there is one, is checked the same way. SQLite has
no connections to lose and is left alone.
"""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event, exc

from charter.extensions import db
from charter.replica_session import REPLICA_ENGINE

IDLE_PING_SECONDS = 10
_IDLE_SINCE = "charter_idle_since"


def init_app(app: Flask) -> None:
    with app.app_context():
        engines = [db.engine]
    replica = app.extensions.get(REPLICA_ENGINE)
    if replica is not None:
        engines.append(replica)
    for engine in engines:
        if engine.dialect.name == "postgresql":
            _ping_idle_connections(app, engine)


def _ping_idle_connections(app: Flask, engine) -> None:
    dialect = engine.dialect
    # The app's config, not the app: Flask-SQLAlchemy keeps each app's engines in a
    # WeakKeyDictionary keyed by the app, and a listener on the engine's pool that held the app
    # would keep that key, and so every app made and every engine, alive (the test suite makes
    # an app per test: 7.6 GB by the end of the PostgreSQL run).
    config = app.config

    @event.listens_for(engine.pool, "checkin")
    def _note_idle(dbapi_connection, record) -> None:  # noqa: ARG001
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:  # noqa: ARG001
        since = record.info.get(_IDLE_SINCE)
        # A new connection (no checkin yet) has just been made: it is alive.
        idle_limit = config.get("DB_IDLE_PING_SECONDS", IDLE_PING_SECONDS)
        if since is None or time.monotonic() - since < idle_limit:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("a pooled connection had died while idle") from error
