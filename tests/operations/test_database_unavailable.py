"""A database that cannot be reached gives a 503 that says so, never a 500 (charter/errors.py).
A real restart of PostgreSQL is in test_replica_reads.py; here the failure is simulated."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from charter.operations.replica import READ_PRIMARY_COOKIE

FAILURES = [
    OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
    PoolTimeoutError("QueuePool limit of size 5 overflow 10 reached"),
]


@pytest.fixture
def database_down(db, monkeypatch):
    def fail(error):
        def execute(*_args, **_kwargs):
            raise error

        monkeypatch.setattr(db.session, "execute", execute)
        monkeypatch.setattr(db.session, "scalars", execute)
        monkeypatch.setattr(db.session, "scalar", execute)
        monkeypatch.setattr(db.session, "get", execute)

    return fail


@pytest.mark.parametrize("error", FAILURES, ids=["connection lost", "pool exhausted"])
def test_a_page_says_the_service_is_unavailable(client, scheme, database_down, error):
    database_down(error)
    response = client.get("/api/v1/scheme")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_unavailable_page_is_the_service_s_own(app):
    from flask import render_template

    with app.test_request_context("/"):
        page = render_template("errors/503.html")
    assert "Sorry, the service is unavailable" in page
    assert "govuk-template" in page  # the service's layout, not the plain fallback


def test_an_html_page_gets_a_503_page(client, scheme, database_down):
    database_down(FAILURES[0])
    response = client.get("/readyz")
    # /readyz reports the database itself; a page reading it gets the 503 page.
    assert response.status_code == 503
    page = client.get("/")
    assert page.status_code == 503
    assert b"Sorry, the service is unavailable" in page.data


def test_without_a_replica_no_read_your_writes_cookie_is_set(client):
    response = client.post("/sign-in", data={})
    assert READ_PRIMARY_COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_connection_lost_as_the_session_closes_does_not_fail_the_request(db, monkeypatch):
    # Flask-SQLAlchemy closes the session after the answer is made; a database that restarted
    # meanwhile makes that ROLLBACK fail, which reached gunicorn as a bare 500.
    from sqlalchemy import text

    db.session.execute(text("SELECT 1"))
    dialect = db.engine.dialect

    def lost(_connection):
        raise dialect.loaded_dbapi.OperationalError("terminating connection")

    monkeypatch.setattr(dialect, "do_rollback", lost)
    db.session.remove()
    monkeypatch.undo()
    assert db.session.execute(text("SELECT 1")).scalar() == 1
