"""Reads from a real streaming replica: public reads go to it, a writer reads the primary, and a
replica that lags or is down sends reads to the primary; a primary that restarts gives 503s and
the app recovers without a restart.

A primary and a hot standby are made for this module with initdb and pg_basebackup
(bench/pg_pair.py), on two free ports unless CHARTER_TEST_PG_PORTS says "primary,replica".
The replica's lag is made by pausing its replay (``pg_wal_replay_pause``), so nothing waits on
timing but one short sleep to let the lag pass a limit of half a second.
"""

from __future__ import annotations

import os
import time

import pytest
from flask_migrate import stamp
from sqlalchemy import text

from bench.pg_pair import PostgresPair, missing_reason
from charter import create_app
from charter.extensions import db
from charter.operations.replica import READ_PRIMARY_COOKIE
from config import TestConfig
from tests.migration_helpers import logging_kept
from tests.public.register_helpers import make_signatory
from tests.s3_helpers import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or ""),
]


@pytest.fixture(scope="module")
def pair():
    # Free ports unless told: CI runs the SQLite and PostgreSQL legs side by side.
    ports = os.environ.get("CHARTER_TEST_PG_PORTS", f"{free_port()},{free_port()}").split(",")
    pair = PostgresPair(int(ports[0]), int(ports[1])).start()
    try:
        pair.create_database("charter")
        yield pair
    finally:
        pair.stop()


@pytest.fixture
def replica_app(pair, tmp_path):
    class ReplicaConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = pair.primary_url("charter")
        REPLICA_DATABASE_URI = pair.replica_url("charter")
        REPLICA_CHECK_SECONDS = 0  # every request looks at the replica afresh
        REPLICA_MAX_LAG_SECONDS = 3600
        READ_YOUR_WRITES_SECONDS = 5

    app = create_app(ReplicaConfig)
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.create_all()
        with logging_kept():
            stamp()  # /readyz checks the schema is at the migrations' head
        pair.wait_replayed()
        yield app
        db.session.remove()
        db.engine.dispose()
        app.extensions["charter_replica_engine"].dispose()
    pair.resume_replay()


@pytest.fixture
def scheme(replica_app):
    from charter.services.domain.schemes import load_scheme_file

    result = load_scheme_file(replica_app.config["DEFAULT_SCHEME_FILE"])
    db.session.commit()
    return result.scheme


def _api_status(client, slug: str) -> int:
    return client.get(f"/api/v1/organisations/{slug}").status_code


def test_public_reads_come_from_the_replica_and_a_writer_reads_the_primary(
    pair, replica_app, scheme
):
    pair.wait_replayed()
    pair.pause_replay()
    slug = make_signatory(scheme, "Acorn Care").slug  # on the primary only
    db.session.remove()
    reader, writer = replica_app.test_client(), replica_app.test_client()

    assert _api_status(reader, slug) == 404  # the replica has not replayed it
    writer.post("/sign-in", data={})  # any POST: its answer carries the cookie
    assert writer.get_cookie(READ_PRIMARY_COOKIE) is not None
    assert READ_PRIMARY_COOKIE in writer.get("/cookies").text  # named on the cookies page
    assert _api_status(writer, slug) == 200  # reads its own write
    assert _api_status(reader, slug) == 404  # everyone else still reads the replica

    pair.resume_replay()
    pair.wait_replayed()
    assert _api_status(reader, slug) == 200


def test_the_writer_reads_the_replica_again_once_the_cookie_has_expired(pair, replica_app, scheme):
    pair.wait_replayed()
    pair.pause_replay()
    slug = make_signatory(scheme, "Birch Builders").slug
    db.session.remove()
    writer = replica_app.test_client()
    # A cookie whose moment has passed (a client that kept it too long) counts for nothing.
    writer.set_cookie(READ_PRIMARY_COOKIE, str(int(time.time()) - 1))
    assert _api_status(writer, slug) == 404
    writer.set_cookie(READ_PRIMARY_COOKIE, "not a time")
    assert _api_status(writer, slug) == 404


def test_a_replica_lagging_past_the_limit_sends_reads_to_the_primary(pair, replica_app, scheme):
    pair.wait_replayed()
    pair.pause_replay()
    slug = make_signatory(scheme, "Cedar Catering").slug
    db.session.remove()
    client = replica_app.test_client()
    ready = client.get("/readyz").json
    assert ready["replica"]["state"] == "ok"
    assert _api_status(client, slug) == 404

    replica_app.config["REPLICA_MAX_LAG_SECONDS"] = 0.5
    time.sleep(0.6)  # the replica's last replayed transaction is now older than the limit
    ready = client.get("/readyz")
    assert ready.status_code == 200  # a lagging replica does not take the host out
    assert ready.json["replica"]["state"] == "lagging"
    assert ready.json["replica"]["reads_from"] == "primary"
    assert ready.json["replica"]["lag_seconds"] > 0.5
    assert _api_status(client, slug) == 200

    pair.resume_replay()
    pair.wait_replayed()
    ready = client.get("/readyz").json["replica"]
    assert ready == {"state": "ok", "lag_seconds": 0.0, "reads_from": "replica"}


def test_a_replica_that_is_down_sends_reads_to_the_primary(pair, replica_app, scheme):
    client = replica_app.test_client()
    assert client.get("/api/v1/scheme").status_code == 200
    pair.stop_replica()
    try:
        slug = make_signatory(scheme, "Damson Dairies").slug
        db.session.remove()
        assert _api_status(client, slug) == 200
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json["replica"] == {
            "state": "unreachable",
            "lag_seconds": None,
            "reads_from": "primary",
        }
    finally:
        pair.start_replica()
    pair.wait_replayed()
    assert client.get("/readyz").json["replica"]["reads_from"] == "replica"


def test_a_restarting_primary_gives_503_pages_and_the_app_recovers(pair, replica_app, scheme):
    slug = make_signatory(scheme, "Elm Electrics").slug
    db.session.remove()
    pair.wait_replayed()
    reader, writer = replica_app.test_client(), replica_app.test_client()
    writer.post("/sign-in", data={})
    assert _api_status(writer, slug) == 200  # a pooled connection to the primary

    pair.stop_primary()
    try:
        page = writer.get("/")  # the home page lists the charters
        assert page.status_code == 503
        assert b"Sorry, the service is unavailable" in page.data
        assert page.headers["Retry-After"] == "5"
        api = writer.get(f"/api/v1/organisations/{slug}")
        assert api.status_code == 503
        assert api.json["error"]["code"] == "unavailable"
        assert writer.get("/readyz").status_code == 503
        # Someone who has not written reads the replica, which still answers.
        assert _api_status(reader, slug) == 200
    finally:
        pair.start_primary()
    assert _api_status(writer, slug) == 200  # no restart of the app needed
    assert writer.get("/readyz").status_code == 200
