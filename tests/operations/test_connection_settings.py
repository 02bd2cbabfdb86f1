"""The app's PostgreSQL connections run without JIT (compiling a 20-row register query took 57 ms
of its 81 ms at 100,000 organisations), and a web process's statements are bounded."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from charter.extensions import db
from charter.operations.connection_settings import postgresql_options


@pytest.mark.parametrize(
    ("url", "given", "expected"),
    [
        ("sqlite:///:memory:", {}, {}),
        ("postgresql+psycopg://db/charter", {}, {"connect_args": {"options": "-c jit=off"}}),
        (
            "postgresql+psycopg://db/charter",
            {"pool_size": 3, "connect_args": {"connect_timeout": 2, "options": "-c work_mem=8MB"}},
            {
                "pool_size": 3,
                "connect_args": {"connect_timeout": 2, "options": "-c work_mem=8MB -c jit=off"},
            },
        ),
    ],
)
def test_postgresql_connections_start_without_jit(url, given, expected):
    before = repr(given)
    assert postgresql_options(url, given) == expected
    assert repr(given) == before  # the config's own dictionary is left as it was


def test_the_apps_connections_have_jit_off(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    assert db.session.scalar(text("SHOW jit")) == "off"


@pytest.mark.parametrize(
    ("seconds", "options"),
    [
        (0, "-c jit=off"),
        (-1, "-c jit=off"),
        (float("nan"), "-c jit=off"),
        (float("inf"), "-c jit=off"),
        (30, "-c jit=off -c statement_timeout=30000"),
        (0.25, "-c jit=off -c statement_timeout=250"),
    ],
)
def test_the_statement_bound_is_in_the_startup_options(seconds, options):
    given = postgresql_options("postgresql+psycopg://db/charter", {}, seconds)
    assert given["connect_args"]["options"] == options


def test_the_web_processes_bound_each_statement_and_nothing_else_does():
    """gunicorn.conf.py sets 30 seconds for the app its workers load; without it (the
    scheduler, the mail worker, flask commands) there is no bound."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from config import Config

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT_SECONDS"}
    read = (
        "import os, runpy; runpy.run_path('gunicorn.conf.py'); "
        "print(os.environ['DATABASE_STATEMENT_TIMEOUT_SECONDS'])"
    )
    shown = subprocess.run(
        [sys.executable, "-c", read], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "30"
    if "DATABASE_STATEMENT_TIMEOUT_SECONDS" not in os.environ:
        assert Config.DATABASE_STATEMENT_TIMEOUT_SECONDS == 0


def test_a_statement_past_the_bound_is_cancelled_with_a_503_and_the_next_request_is_served(
    app, caplog
):
    """A real PostgreSQL statement_timeout: the request that ran past it gets the 503 page, the
    log names it (and does not take it for a database that went away), and the pooled
    connection serves the next request."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    from charter import create_app
    from config import TestConfig

    class Bounded(TestConfig):
        DATABASE_STATEMENT_TIMEOUT_SECONDS = 0.2

    bounded = create_app(Bounded)

    @bounded.get("/_test/slow")
    def slow():
        db.session.execute(text("SELECT pg_sleep(2)"))
        return "finished"

    @bounded.get("/_test/quick")
    def quick():
        return db.session.scalar(text("SHOW statement_timeout"))

    client = bounded.test_client()
    try:
        with caplog.at_level("WARNING"):
            response = client.get("/_test/slow")
        assert response.status_code == 503
        assert b"Sorry, the service is unavailable" in response.data
        assert "statement timed out in slow" in caplog.text
        assert "database unavailable" not in caplog.text
        again = client.get("/_test/quick")
        assert again.status_code == 200
        assert again.get_data(as_text=True) == "200ms"
    finally:
        with bounded.app_context():
            db.engine.dispose()


def test_psycopgs_bound_on_kept_statements_is_raised_and_never_lowered(monkeypatch):
    from psycopg import _queries

    from charter.operations.connection_settings import keep_parsed_statements

    monkeypatch.setattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", 4096)
    keep_parsed_statements(16384)
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == 16384
    keep_parsed_statements(8192)
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == 16384
