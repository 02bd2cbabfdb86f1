"""Pooled PostgreSQL connections are pinged before use only after sitting idle: a connection
that died while idle (a restart, a failover, a proxy's idle timeout) is replaced without the
request failing, and a busy pool sends no extra round trip."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from charter.extensions import db


@pytest.fixture(autouse=True)
def _postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("connection checks are PostgreSQL's: SQLite has no connections to lose")


def _backend_pid() -> int:
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    db.session.remove()  # hands the connection back to the pool
    return pid


def _terminate(pid: int) -> None:
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _count_pings(monkeypatch) -> list:
    pings: list = []
    dialect = db.engine.dialect
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(conn) or real(conn))
    return pings


def test_a_connection_that_died_while_idle_is_replaced(app, monkeypatch):
    app.config["DB_IDLE_PING_SECONDS"] = 0  # every connection handed back counts as idle
    pings = _count_pings(monkeypatch)
    dead = _backend_pid()
    _terminate(dead)

    alive = _backend_pid()  # no error: the ping found it dead and the pool made a new one

    assert alive != dead
    assert pings


def test_a_connection_just_handed_back_is_used_without_a_ping(app, monkeypatch):
    app.config["DB_IDLE_PING_SECONDS"] = 3600
    pings = _count_pings(monkeypatch)
    first = _backend_pid()
    assert _backend_pid() == first
    assert pings == []


def test_an_app_done_with_is_freed_with_its_engine(app):
    """Flask-SQLAlchemy keeps an app's engines in a WeakKeyDictionary keyed by the app: a pool
    listener holding the app kept every app and engine alive (7.6 GB by the end of a run)."""
    import gc
    import weakref

    from charter import create_app
    from config import TestConfig

    other = create_app(TestConfig)
    with other.app_context():
        engine = weakref.ref(db.engine)
    freed = weakref.ref(other)
    del other
    gc.collect()  # the app; the WeakKeyDictionary then lets go of its engines
    gc.collect()  # the engine and its pool
    assert freed() is None
    assert engine() is None
