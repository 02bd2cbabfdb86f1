"""Shared fixtures: an app per test on SQLite (in memory) or PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import gc
import os
import sqlite3
import threading
from datetime import UTC, date, datetime

import pytest
from flask import g
from jinja2 import BytecodeCache
from sqlalchemy import event

from charter import create_app
from charter.extensions import db as _db
from charter.extensions import limiter
from charter.services.domain.signings import signing_of
from config import TestConfig
from tests import travel
from tests.client_request import ClientRequest
from tests.factories import make_commissioner, make_organisation, make_user, sign_in

travel.start()  # CHARTER_TEST_TODAY: the suite on another date (tests/travel.py)

_schema_ready = False


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared across the per-test apps: compiling them anew for every test
    cost most of the suite's time."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_bytecode_cache = _MemoryBytecodeCache()


def _share_url_builders() -> None:
    """Every test makes an app of its own, and Werkzeug compiles two Python functions for each
    of the app's routes as it binds them (ast and compile: nine tenths of create_app, some four
    minutes of a run). A builder depends only on the rule's text, its parsed parts (``_trace``,
    host or subdomain included) and its defaults, and reads the converters from the rule it is
    bound to when called: compile each once a run and bind it to each app's rule as Werkzeug
    does. The apps are otherwise made as the service makes them."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    compiled: dict[tuple, object] = {}

    def shared(self, append_unknown: bool = True):
        key = (
            self.rule,
            tuple(self._trace),
            repr(sorted((self.defaults or {}).items())),
            append_unknown,
        )
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = shared


_share_url_builders()


@pytest.fixture
def app(tmp_path):
    global _schema_ready
    app = create_app(TestConfig)
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    app.config["OPEN_DATA_DIR"] = str(tmp_path / "open-data")
    app.jinja_env.bytecode_cache = _bytecode_cache
    # The test's app context stays pushed, so Flask 3.1 reuses it (and its `g`) for every
    # request: start each request with an empty `g`, or Flask-Login's cached user and
    # Flask-WTF's cached CSRF token leak from one request (and one client) into the next.
    # First of all, before the URL processors that read the charter into `g.charter`.
    app.url_value_preprocessors.setdefault(None, []).insert(
        0, lambda _endpoint, _values: g.__dict__.clear()
    )
    with app.app_context():
        # The limiter is a module-level extension: start each test with no attempts counted.
        limiter.reset()
        if _db.engine.dialect.name == "sqlite" and _db.engine.url.database in (
            None,
            "",
            ":memory:",
        ):
            _empty_sqlite_schema()
        else:
            # A shared server database: build the schema once a run, empty the tables per test.
            if not _schema_ready:
                _db.drop_all()
                _db.create_all()
                _schema_ready = True
        yield app
        _db.session.remove()
        if _db.engine.dialect.name != "sqlite":
            empty_all()
        _db.engine.dispose()


_sqlite_schema: sqlite3.Connection | None = None


def _empty_sqlite_schema() -> None:
    """The schema, empty, in the test's new in-memory SQLite database: made by ``create_all``
    once a run and copied with sqlite3's online backup for every other test (0.3 ms, where
    ``create_all`` of the 59 tables and their indexes takes about 100 ms, five minutes a run).
    A backup replaces the whole database, so a test that changed its schema (the migration
    tests) leaves nothing behind for the next."""
    global _sqlite_schema
    from tests.demo_snapshot import driver_connection

    if _sqlite_schema is None:
        _db.create_all()
        _sqlite_schema = sqlite3.connect(":memory:", check_same_thread=False)
        with driver_connection() as connection:
            connection.backup(_sqlite_schema)
    else:
        with driver_connection() as connection:
            _sqlite_schema.backup(connection)


def empty_all() -> None:
    """Empty every table and restart every id sequence, for the next test on a shared server.

    DELETE, children first, not TRUNCATE: a TRUNCATE of the 59 tables costs PostgreSQL a new
    file per table, about a second a test here (half the PostgreSQL run), where deleting the
    few rows a test wrote takes milliseconds. Ids restart at 1 as TRUNCATE's RESTART IDENTITY did.
    All of it is sent as one string, one round trip: a statement each took 23 ms a test, 3 ms so.
    """
    deletes = "".join(
        f"DELETE FROM {_db.engine.dialect.identifier_preparer.format_table(table)};\n"
        for table in reversed(_db.metadata.sorted_tables)
    )
    with _db.engine.begin() as conn:
        conn.exec_driver_sql(
            deletes + "SELECT setval(c.oid, 1, false) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
        )


def mark_schema_dirty() -> None:
    """For tests that drop or rebuild the schema themselves (the migration test)."""
    global _schema_ready
    _schema_ready = False


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 server on loopback for the whole run (started only if a test asks)."""
    from tests.s3_helpers import start_moto_server

    server, endpoint = start_moto_server()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_app(app, moto_endpoint, monkeypatch, tmp_path):
    """The app storing evidence in a new, empty bucket on the moto server."""
    from tests.s3_helpers import S3_CREDENTIALS, new_bucket

    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    app.config.update(
        EVIDENCE_STORAGE="s3",
        EVIDENCE_S3_BUCKET=new_bucket(moto_endpoint),
        EVIDENCE_S3_PREFIX="evidence/",
        EVIDENCE_S3_ENDPOINT_URL=moto_endpoint,
        EVIDENCE_S3_SSE="AES256",
        EVIDENCE_STAGING_DIR=str(tmp_path / "staging"),
    )
    return app


@pytest.fixture(scope="session")
def _demo_snapshots(tmp_path_factory):
    """The demo's builds of this run, one a day (tests/demo_snapshot.py)."""
    from tests import demo_snapshot

    built: dict[date, demo_snapshot.DemoSnapshot] = {}
    yield built
    for snapshot in built.values():
        demo_snapshot.drop(snapshot, TestConfig.SQLALCHEMY_DATABASE_URI)


@pytest.fixture
def demo(app, _demo_snapshots, tmp_path_factory):
    """The demo as `make run` loads it (every charter's scheme file, Shropshire's first), in this
    test's own database: built by the first test of the day that asks, copied for the rest.
    ``demo.output`` is what `flask charter demo-data` printed."""
    from charter.models.base import utcnow
    from tests import demo_snapshot
    from tests.cli.demo_story import SCHEME_FILES

    today = utcnow().date()
    if today in _demo_snapshots:
        demo_snapshot.restore(app, _demo_snapshots[today])
    else:
        directory = tmp_path_factory.mktemp("demo")
        _demo_snapshots[today] = demo_snapshot.build(app, SCHEME_FILES, directory)
    return _demo_snapshots[today]


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def scheme(app):
    from charter.services.domain.schemes import load_scheme_file

    result = load_scheme_file(app.config["DEFAULT_SCHEME_FILE"])
    _db.session.commit()
    return result.scheme


# The factories' world sits on fixed dates (tests/factories.py: a plan approved on 1 January
# 2026, returns for the quarters of 2026). A test that reads those figures through "today" (the
# current plan year, returns opened up to today) asks for this fixture, and the clock reads a
# day of that world whatever the date the suite runs on (the demo-based tests and the browser
# journeys run on the real date, and tests/cli/test_demo_dates.py on 40 others).
FIXTURE_DAY = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def on_fixture_day():
    import time_machine

    with time_machine.travel(FIXTURE_DAY, tick=True):
        yield FIXTURE_DAY.date()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def client_request(client):
    """Requests by endpoint name, returning the page parsed (tests/client_request.py)."""
    return ClientRequest(client)


@pytest.fixture
def member(app, scheme):
    return make_user(email="owner@example.com", full_name="Olive Owner")


@pytest.fixture
def member_client(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    return client


@pytest.fixture
def organisation(app, member, scheme):
    return make_organisation(owner=member, scheme=scheme)


@pytest.fixture
def signed(organisation):
    """The organisation, signed up to the charter on the working-towards route."""
    organisation.status = "signatory"
    signing_of(organisation).route = "working_towards"
    _db.session.commit()
    return organisation


@pytest.fixture
def council(app):
    return make_commissioner("Shropshire Council", org_id="GB-LAE-SHR")


@pytest.fixture
def assessor(app, scheme):
    return make_user(email="assessor@example.com", full_name="Asha Assessor", role="assessor")


@pytest.fixture
def assessor_client(app, assessor):
    client = app.test_client()
    sign_in(client, assessor.email)
    return client


@pytest.fixture
def admin_user(app, scheme):
    return make_user(email="admin@example.com", full_name="Adam Admin", role="admin")


@pytest.fixture
def admin_client(app, admin_user):
    client = app.test_client()
    sign_in(client, admin_user.email)
    return client


@pytest.fixture
def query_counter(app):
    """Counts SQL statements: ``with query_counter() as count: ...; count.value``."""
    from contextlib import contextmanager

    class Counter:
        value = 0

    @contextmanager
    def counting():
        counter = Counter()

        def before(*args, **kwargs):
            counter.value += 1

        event.listen(_db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(_db.engine, "before_cursor_execute", before)

    return counting


def pytest_report_header(config):
    day = travel.requested_day()
    return [
        f"database: {os.environ.get('DATABASE_URL', 'sqlite (in memory)')}",
        f"date: {day} ({travel.ENVIRONMENT})" if day else f"date: today, {date.today()}",
    ]


def pytest_unconfigure(config):
    """Cancel the timers the apps' in-memory throttle stores leave armed.

    ``limits``' MemoryStorage re-arms a non-daemon ``threading.Timer(0.01)`` after every count,
    and the interpreter joins such threads at exit. Under libfaketime a timed wait can block
    far past its timeout (wolfcw/libfaketime#390), so a run under ``faketime`` passed and then
    never exited. Cancelling sets the timer's event: its wait returns at once and it does nothing.
    """
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()


def pytest_collection_finish(session):
    """Fewer, cheaper garbage collections: a third of a run was the collector's.

    Every test makes and drops an app, an engine and its compiled statements, some 15,000
    objects in reference cycles, and with Python's default thresholds each drop set off a full
    collection that walked the whole heap again (the modules, models and tests collected, some
    220,000 objects): 64 of 188 seconds in tests/organisation. Freezing what exists once the
    tests are collected keeps it out of every later collection, and a larger first generation
    makes fewer of them; each test's cycles are still freed within a test or two (peak memory
    610 MB there, from 445 MB), for 29 seconds of collecting and a run 19% shorter.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
