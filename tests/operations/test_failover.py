"""Promoting the replica when the primary is lost for good (bench/pg_pair.py, the steps of the
runbook in docs/deployment.md): with synchronous replication every commit acknowledged before
the loss is on the promoted server, and it takes writes. The whole deployment's failover under
load is `make cluster CLUSTER_FAULTS=lose-primary`."""

from __future__ import annotations

import os

import pytest

from bench.pg_pair import PostgresPair, missing_reason
from tests.s3_helpers import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or ""),
]


@pytest.fixture
def pair():
    ports = os.environ.get("CHARTER_TEST_PG_PORTS", f"{free_port()},{free_port()}").split(",")
    pair = PostgresPair(int(ports[0]), int(ports[1])).start()
    try:
        pair.create_database("charter")
        yield pair
    finally:
        pair.stop()


def test_commits_acknowledged_before_the_loss_are_on_the_promoted_server(pair):
    pair.replicate_synchronously()
    primary, replica = pair.primary_port, pair.replica_port
    pair.psql(primary, "CREATE TABLE saves (id int PRIMARY KEY)", "charter")
    for n in range(200):  # each its own transaction, acknowledged when psql returns
        pair.psql(primary, f"INSERT INTO saves VALUES ({n})", "charter")

    pair.lose_primary()
    pair.promote_replica()

    assert pair.psql(replica, "SELECT count(*), max(id) FROM saves", "charter") == "200|199"
    pair.psql(replica, "INSERT INTO saves VALUES (200)", "charter")
    assert pair.psql(replica, "SELECT count(*) FROM saves", "charter") == "201"
    assert not pair.running(pair.primary_dir)
