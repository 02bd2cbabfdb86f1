"""The fault "primary lost for good" of the reference deployment (bench/cluster.py): the replica
is promoted, the app is pointed at it, and the checker shows that every write acknowledged before
the loss is on the promoted server and that writes resume (docs/deployment.md has the runbook).

- **Before the load**, replication is made synchronous (``synchronous_standby_names``): a commit
  returns only once the replica has it on disk, so a write the app acknowledged cannot be lost
  with the primary. With asynchronous replication the writes of the last moment before a crash
  (the replica's lag, milliseconds here) may be lost on promotion.
- **The loss**: the primary stopped at once (``pg_ctl stop -m immediate``, as a machine that
  dies) and never started again. Writes get the app's 503 page; public pages keep coming from
  the replica.
- **The failover**, as an operator (or a tool such as Patroni) does it: promote the replica
  (``pg_ctl promote``); check, before any host writes to it, that every write acknowledged so far
  is there; then change ``DATABASE_URL`` to the promoted server, drop ``DATABASE_REPLICA_URL``
  (there is no replica left), and restart the app hosts one at a time: each is put in
  maintenance in HAProxy, its requests finish, it restarts with the new settings and is back
  in HAProxy before the next goes. Then the mail worker and the scheduler.
"""

from __future__ import annotations

import copy
import signal
import time
from types import SimpleNamespace

from bench.cluster_checks import check_writes, unreferenced_objects


def lose_primary(cluster) -> None:
    cluster.pair.lose_primary()
    cluster.lost_at = time.monotonic()


def promote_and_repoint(cluster) -> None:
    pair = cluster.pair
    began = time.monotonic()
    pair.promote_replica()
    promoted = time.monotonic()
    promoted_url = pair.replica_url("charter")
    # Every write acknowledged so far was committed on the old primary (it has been gone for
    # a while: no answer for it can still be on its way). No host writes to the promoted server
    # yet, so it holds exactly what replication brought.
    with cluster.load_log.lock:
        before = SimpleNamespace(
            saves_ok=dict(cluster.load_log.saves_ok),
            saves_in_doubt=copy.deepcopy(cluster.load_log.saves_in_doubt),
            uploads=dict(cluster.load_log.uploads),
        )
    checked = check_writes(promoted_url, before, unreferenced_objects(promoted_url))
    cluster.database_url = promoted_url
    cluster.replica_url = None
    cluster.env = cluster.app_env()
    from bench.cluster import APP_HOSTS, APP_PORT, http_get

    for number, host in enumerate(APP_HOSTS, start=1):
        drain(cluster, f"app{number}")
        cluster.kill(f"app{number}", signal.SIGTERM)
        cluster.start_app(number, host)
        # Back in HAProxy only once it answers ready itself: leaving maintenance, a server
        # counts as up before its first check.
        wait_until(lambda host=host: http_get(host, APP_PORT, "/readyz") == 200, 120)
        for backend in BACKENDS:
            cluster.balancer(f"set server {backend}/app{number} state ready")
        cluster.wait_ready(number, timeout=120)
    for name in ("mail-worker", "scheduler"):
        cluster.kill(name, signal.SIGTERM)
    cluster.start_workers()
    done = time.monotonic()
    cluster.failover = {
        "acknowledged before the loss": {
            "drafts": checked.get("drafts saved", 0),
            "uploads": checked.get("uploads stored", 0),
            "lost": checked.get("lost", 0),
            "lost examples": checked.get("lost examples", []),
        },
        "seconds": {
            "primary lost to promoted": round(promoted - cluster.lost_at, 1),
            "promotion": round(promoted - began, 1),
            "both hosts on the promoted server": round(done - began, 1),
        },
    }


BACKENDS = ("app", "app_alive")


def drain(cluster, server: str, timeout: float = 30) -> None:
    """Take a host out of HAProxy (maintenance: no new requests) and wait until the requests
    it is serving are done, before it is restarted: none is cut."""
    for backend in BACKENDS:
        cluster.balancer(f"set server {backend}/{server} state maint")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        serving = 0
        for line in cluster.balancer("show stat").splitlines():
            fields = line.split(",")
            if len(fields) > 4 and fields[0] in BACKENDS and fields[1] == server:
                serving += int(fields[4] or 0)  # scur: the sessions it serves now
        if serving == 0:
            return
        time.sleep(0.2)


def wait_until(ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise TimeoutError(f"not ready after {timeout} s")


def writes_after(log, healed_at: float) -> int:
    """Writes acknowledged after the failover: the service takes writes again."""
    return sum(
        1
        for sample in log.samples
        if sample.at >= healed_at and sample.kind in ("save draft", "upload")
        if sample.outcome == "ok"
    )


def describe(failover: dict) -> str:
    before = failover["acknowledged before the loss"]
    seconds = failover["seconds"]
    return (
        f"acknowledged before the loss: {before['drafts']} drafts (the last of each line) and "
        f"{before['uploads']} uploads, {before['lost']} lost on the promoted server; promoted "
        f"{seconds['primary lost to promoted']} s after the loss, both hosts on it "
        f"{seconds['both hosts on the promoted server']} s after promoting began; "
        f"{failover['writes after']} writes acknowledged after"
    )
