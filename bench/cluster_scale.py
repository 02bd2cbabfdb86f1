"""Two app hosts against one, on the reference deployment, at 4 charters and 100,000
organisations (issue 23, "Scale").

    make cluster-scale        # or: .venv/bin/python bench/cluster_scale.py [--organisations N]

Starts the deployment of ``bench/cluster.py`` (HAProxy, two gunicorn hosts with the shipped
``gunicorn.conf.py``, a PostgreSQL primary and streaming replica, Redis, the object store, the
mail worker and the scheduler), loads the four shipped charters and grows the register to
``--organisations`` with the charters bench's generator (``grow_to(..., charters=True)``: 160,000
signings at 100,000), waits for the replica to replay it, then loads public pages and the API
through HAProxy with wrk. Each row alternates one-second slices between **both hosts in
service** and **one host** (the other given weight 0 in HAProxy: up, but sent nothing), so
both see the same moments of the machine.

Twice: first with both hosts free to use both cores, then with **a core each** (``taskset``):
host 1 on core 0 and host 2 on core 1, so one host has one core and two hosts have two, as two
machines would, while PostgreSQL, HAProxy and wrk share both. On a 2-core machine the first can
only show that a second host costs nothing (the hosts already share every core); the second
shows what a second host's own CPU buys, bounded by the database and the load generator, which
no second app host relieves. Prints requests/s, p50/p99 and the ratio of two hosts to one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness, load_generator
from bench.charter_mix import load_charters
from bench.charters_bench import ROWS
from bench.cluster import APP_HOSTS, BALANCER_PORT, Cluster
from bench.generate import grow_to
from bench.public_pages import fresh_paths
from charter.extensions import db

SHIPPED_WORKERS = 5  # gunicorn.conf.py on 2 cores: 2 x cores + 1
LAYOUTS = {"shared": None, "a core each": ("0", "1")}


def grow(cluster: Cluster, organisations: int) -> list[tuple[str, str, list | None]]:
    """The four charters and the register, on the primary; returns the rows to measure."""
    app = harness.bench_app(cluster.database_url)
    with app.app_context():
        load_charters()
        seconds = grow_to(organisations, charters=True)
        entries = fresh_paths(1000)["entry"]
        db.session.remove()
        db.engine.dispose()
    print(f"{organisations:,} organisations in 4 charters generated in {seconds:.1f} s")
    cluster.pair.wait_replayed(timeout=300)
    rows = [(name, path, paths) for name, path, paths, _ref in ROWS if "worcestershire" not in name]
    rows.append(("organisation page fresh", entries[0], entries))
    return rows


def place_hosts(cluster: Cluster, cpus: tuple[str, str] | None) -> None:
    """(Re)start both app hosts, each on ``cpus[i]`` (taskset) or on any core."""
    for number, host in enumerate(APP_HOSTS, start=1):
        cluster.kill(f"app{number}")
        prefix = ["taskset", "-c", cpus[number - 1]] if cpus else []
        cluster.start_app(number, host, prefix=prefix)
    cluster.wait_ready()


def one_host(cluster: Cluster, alone: bool) -> None:
    """Host 2 given no new requests (weight 0: one host serves) or its share again (two). It
    stays up and checked, so the switch takes effect at once, between two slices."""
    weight = 0 if alone else 1
    for backend in ("app", "app_alive"):
        cluster.balancer(f"set server {backend}/app2 weight {weight}")


def measure(cluster: Cluster, rows, seconds: int) -> list[tuple[str, dict, dict]]:
    url = f"http://127.0.0.1:{BALANCER_PORT}"
    warm = [path for _name, path, _paths in rows]
    for alone in (False, True):
        one_host(cluster, alone)
        for path in warm:
            for _ in range(8):
                load_generator.wrk(url + path, 1)
    results = []
    for name, path, paths in rows:
        slices: dict[bool, list[dict]] = {False: [], True: []}
        order = [False, True]
        for _ in range(seconds):
            for alone in order:
                one_host(cluster, alone)
                slices[alone].append(
                    load_generator.wrk(url + path, 1, connections=8, fresh=bool(paths), paths=paths)
                )
            order.reverse()
        one_host(cluster, False)
        two = load_generator._combine(slices[False])
        one = load_generator._combine(slices[True])
        results.append((name, two, one))
        print(_row(name, two, one), flush=True)
    return results


HEADER = (
    f"{'request':26} {'2 hosts req/s':>13} {'p50':>6} {'p99':>6} | "
    f"{'1 host req/s':>12} {'p50':>6} {'p99':>6} | 2 / 1"
)


def _row(name: str, two: dict, one: dict) -> str:
    ratio = two["rps"] / one["rps"] if one["rps"] else 0
    errors = two["errors"] + one["errors"]
    return (
        f"{name:26} {two['rps']:>13.0f} {two['p50']:>6.1f} {two['p99']:>6.1f} | "
        f"{one['rps']:>12.0f} {one['p50']:>6.1f} {one['p99']:>6.1f} | {ratio:.2f}"
        + (f"  ({errors} non-2xx/3xx)" if errors else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=6, help="one-second slices a side a row")
    parser.add_argument("--keep", action="store_true", help="leave the directory (logs)")
    args = parser.parse_args()
    if not load_generator.have_wrk():
        sys.exit("wrk not found: apt-get install wrk")
    started = time.perf_counter()
    cluster = Cluster(web_concurrency=SHIPPED_WORKERS)
    tables = {}
    try:
        cluster.start()
        rows = grow(cluster, args.organisations)
        for layout, cpus in LAYOUTS.items():
            place_hosts(cluster, cpus)
            print(f"\n== {layout}: {SHIPPED_WORKERS} workers a host, through HAProxy ==")
            print(HEADER)
            tables[layout] = measure(cluster, rows, args.seconds)
    finally:
        cluster.stop(keep_logs=args.keep)
    for layout, table in tables.items():
        print(f"\n== {layout} ==\n{HEADER}")
        for name, two, one in table:
            print(_row(name, two, one))
    print(f"whole run: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
