"""The charter dimension at scale (issue 20, "Scale"): 4 charters, 100,000 organisations and
160,000 signings, against a single charter of the same size, in the same run.

Two databases: DATABASE_URL gets the four shipped charters and ``--organisations`` organisations
signed to them (``generate.grow_to(..., charters=True)``: a tenth sign another charter than
Shropshire's only, 45% sign two, 7.5% three; commissioners taking part in two charters; Marks
under the one scheme with an award); ``<its name>_baseline`` gets Shropshire's charter alone
with as many organisations as Shropshire's charter has signings in the first (for a charter's
register and the API), grown to every organisation of the first before the combined register
is measured against it (it lists every organisation in both). Each is served
by a gunicorn with **the shipped ``gunicorn.conf.py``** (its workers, timeout and recycling, as
a host runs it), and ``bench/bare_app.py`` (Flask and one route) by a third, with the same
settings. Each row loads the three in turn in one-second slices with wrk (``load_generator``),
so all three see the same moments of a shared machine, and prints requests/s and p50/p99 of
each, the ratio to bare and the ratio to the single charter (no page may fall below 0.8 of its
single-charter figure). Rows: a charter's register, the combined register and the API with
``charter=``, each as one URL repeated (the answer cache) and fresh: another page, search or
cursor on every request, with a counter so that no address repeats. First, in process: each
page's time, queries and plan (EXPLAIN) in both databases.

Last, the scheduled reviews over every charter in the four-charter database
(``reviews_scaling.add_review_data`` gives each signing its plan, returns and confirmations
under its own charter's scheme; then every job, in the scheduler's order, timed).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench make bench-charters
    # or: .venv/bin/python bench/charters_bench.py --organisations 100000 --seconds 10

It DROPS every table of both databases. Prints figures, never pass/fail; a page under 0.8 of
its single-charter figure or reviews over 60 s are marked in the table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from bench import harness, load_generator
from bench.charter_mix import load_charters
from bench.generate import PLACES, TRADES, grow_to
from bench.reviews_scaling import add_review_data, run_jobs
from charter.extensions import db
from charter.models import Charter, Signing
from charter.services.domain import periods
from charter.services.domain.reviews import common
from charter.services.read_models.register_query import encode_cursor

SLUG = "shropshire"
OTHER = "worcestershire"
FLOOR_RATIO = 0.8
REVIEWS_LIMIT_SECONDS = 60
# Searches for the fresh rows: words in the generated names, in both databases.
WORDS = [word.lower() for word in PLACES[:12] + TRADES[:12]]


def _fresh_paths(base: str, joiner: str, cursors: bool = False) -> list[str]:
    """Genuinely different requests: pages 1-20 and name searches (or, for the API, cursors at
    each letter and searches), each made unique by wrk's counter."""
    if cursors:
        positions = [f"cursor={encode_cursor((letter, 1))}" for letter in "abcdefghijklmnopqrstw"]
    else:
        positions = [f"page={page}" for page in range(1, 21)]
    return [f"{base}{joiner}{each}" for each in positions + [f"q={word}" for word in WORDS]]


# The single charter a row is compared with: CHARTER, of the size of Shropshire's charter here
# (its signings); SERVICE, of the size of the whole service (every organisation, as the
# combined register lists them), the same database grown to it; None, none.
CHARTER, SERVICE = "charter", "service"
# (row, path, fresh paths or None, reference)
ROWS = (
    ("charter register", f"/c/{SLUG}/register", None, CHARTER),
    (
        "charter register fresh",
        f"/c/{SLUG}/register",
        _fresh_paths(f"/c/{SLUG}/register", "?"),
        CHARTER,
    ),
    ("api charter=", f"/api/v1/organisations?charter={SLUG}", None, CHARTER),
    (
        "api charter= fresh",
        f"/api/v1/organisations?charter={SLUG}",
        _fresh_paths(f"/api/v1/organisations?charter={SLUG}", "&", cursors=True),
        CHARTER,
    ),
    # A smaller charter (about a quarter of the organisations): its register walks the same
    # name order, skipping those that did not sign it. No single charter of its size here.
    (f"{OTHER} register", f"/c/{OTHER}/register", None, None),
    (
        f"{OTHER} register fresh",
        f"/c/{OTHER}/register",
        _fresh_paths(f"/c/{OTHER}/register", "?"),
        None,
    ),
    # Measured last, once the single charter has as many organisations as the service.
    ("combined register", "/charters/register", None, SERVICE),
    (
        "combined register fresh",
        "/charters/register",
        _fresh_paths("/charters/register", "?"),
        SERVICE,
    ),
)


def describe_mix() -> int:
    """Prints what the generator made; returns the default charter's signings."""
    rows = db.session.execute(
        select(Charter.slug, func.count(Signing.id))
        .join(Signing, Signing.charter_id == Charter.id)
        .group_by(Charter.id, Charter.slug)
        .order_by(Charter.id)
    ).all()
    many = db.session.execute(
        text(
            "SELECT n, count(*) FROM (SELECT organisation_id, count(*) AS n FROM signings "
            "GROUP BY organisation_id) AS per GROUP BY n ORDER BY n"
        )
    ).all()
    marks = db.session.execute(
        text(
            "SELECT c.slug, count(*) FROM charter_marks m JOIN signings s ON s.id = m.signing_id "
            "JOIN charters c ON c.id = s.charter_id GROUP BY c.slug ORDER BY c.slug"
        )
    ).all()
    shared = db.session.scalar(
        text(
            "SELECT count(*) FROM (SELECT commissioner_id FROM charter_commissioners "
            "GROUP BY commissioner_id HAVING count(*) = 2) AS two"
        )
    )
    total = sum(count for _slug, count in rows)
    print(
        f"signings {total:,}: "
        + ", ".join(f"{slug} {count:,}" for slug, count in rows)
        + "; organisations by charters signed: "
        + ", ".join(f"{n}: {count:,}" for n, count in many)
        + "; Marks: "
        + (", ".join(f"{slug} {count:,}" for slug, count in marks) or "none")
        + f"; commissioners in two charters: {shared}",
        flush=True,
    )
    return dict(rows)[SLUG]


def build(organisations: int) -> tuple[object, object, int]:
    """Both databases, generated; returns their apps and the default charter's size."""
    multi = harness.bench_app()
    harness.rebuild_schema(multi)
    with multi.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        load_charters()
        seconds = grow_to(organisations, charters=True)
        print(f"{organisations:,} organisations in 4 charters generated in {seconds:.1f} s")
        size = describe_mix()
        db.session.remove()
    single = harness.bench_app(harness.baseline_url())
    harness.rebuild_schema(single)
    with single.app_context():
        seconds = grow_to(size)
        print(f"single charter: {size:,} organisations in {seconds:.1f} s (its own database)")
        db.session.remove()
    return multi, single, size


def in_process(apps: dict, repeat: int, rows) -> dict[str, int]:
    """Each page's in-process median, queries and plan; returns each page's bytes (multi)."""
    sizes = {}
    print(f"\n{'in process':26} {'db':6} {'status':>6} {'ms':>7} {'queries':>7} {'bytes':>7} plan")
    for name, path, fresh, reference in rows:
        if fresh:
            continue
        for label, app in apps.items():
            if label == "single" and not reference:
                continue
            with app.app_context():
                client = app.test_client()
                figures = harness.time_in_process(client, path, repeat)
                scans = harness.scan_types(figures["statements"])
                seq = harness.sequential_scans_of_big_tables(scans)
                db.session.remove()
            if label == "multi":
                sizes[path] = figures["bytes"]
            print(
                f"{name:26} {label:6} {figures['status']:>6} {figures['median_ms']:>7.2f} "
                f"{figures['queries']:>7} {figures['bytes']:>7}  {', '.join(scans)}"
                + (f"  SEQUENTIAL: {', '.join(seq)}" if seq else ""),
                flush=True,
            )
    return sizes


def _slices(urls: list[tuple[str, list | None]], seconds: float) -> list[dict]:
    """Each URL loaded in turn in one-second slices, ``seconds`` times, in an order that
    alternates: on a shared machine whose load moves from second to second, all see the same
    moments, and none is always the one loaded after the bare process."""
    runs: list[list[dict]] = [[] for _ in urls]
    order = list(range(len(urls)))
    for _ in range(max(1, round(seconds))):
        for index in order:
            url, paths = urls[index]
            runs[index].append(load_generator.wrk(url, 1, fresh=paths is not None, paths=paths))
        order.reverse()
    return [load_generator._combine(each) for each in runs]


def under_load(urls: tuple[str, str], sizes: dict, seconds: float, port: int, rows) -> list:
    table = []
    conf = {"shipped": True}
    with ExitStack() as stack:
        multi = stack.enter_context(harness.Gunicorn(port, url=urls[0], **conf))
        single = stack.enter_context(harness.Gunicorn(port + 1, url=urls[1], **conf))
        bare = stack.enter_context(harness.Gunicorn(port + 2, app="bench.bare_app:app", **conf))
        multi.warm_up([path for _n, path, _f, _r in rows], rounds=12)
        single.warm_up([path for _n, path, _f, reference in rows if reference], rounds=12)
        bare.warm_up([f"/bare/{sizes[path]}" for _n, path, _f, _r in rows], rounds=12)
        print(f"\nworkers per gunicorn (shipped gunicorn.conf.py): {len(multi.worker_pids())}")
        for name, path, fresh, reference in rows:
            size = sizes[path]
            servers = [(multi.url(path), fresh)]
            if reference:
                servers.append((single.url(path), fresh))
            servers.append((bare.url(f"/bare/{size}"), None))
            results = _slices(servers, seconds)
            service, baseline = results[0], results[-1]
            alone = results[1] if reference else None
            table.append((name, service, alone, baseline))
            print(_row(name, service, alone, baseline), flush=True)
    return table


def grow_single(single, organisations: int) -> None:
    """The single charter grown to the whole service's size, for the combined register."""
    with single.app_context():
        seconds = grow_to(organisations)
        db.session.remove()
    print(f"\nsingle charter grown to {organisations:,} organisations ({seconds:.1f} s)")


HEADER = (
    f"{'request (4 charters)':26} {'req/s':>7} {'p50':>5} {'p99':>6} | "
    f"{'single':>7} {'p99':>6} | {'bare':>7} | {'/bare':>6} {'single/bare':>11} "
    f"{'/single':>7}"
)


def _row(name: str, service: dict, alone: dict | None, bare: dict) -> str:
    ratio = service["rps"] / bare["rps"] if bare["rps"] else 0
    line = f"{name:26} {service['rps']:>7.0f} {service['p50']:>5.1f} {service['p99']:>6.1f} | "
    if alone is None:
        line += f"{'-':>7} {'-':>6} | {bare['rps']:>7.0f} | {ratio:>6.3f} {'-':>11} {'-':>7}"
    else:
        single_ratio = alone["rps"] / bare["rps"] if bare["rps"] else 0
        to_single = service["rps"] / alone["rps"] if alone["rps"] else 0
        line += (
            f"{alone['rps']:>7.0f} {alone['p99']:>6.1f} | {bare['rps']:>7.0f} | "
            f"{ratio:>6.3f} {single_ratio:>11.3f} {to_single:>7.2f}"
            + ("  BELOW 0.8" if to_single < FLOOR_RATIO else "")
        )
    errors = service["errors"] + (alone["errors"] if alone else 0)
    return line + (f"  ({errors} non-2xx/3xx)" if errors else "")


def reviews(app, batch_size: int) -> float:
    """Every scheduled review over every charter, on the first day of a period."""
    with app.app_context():
        months = db.session.scalar(text("SELECT min(monitoring_period_months) FROM schemes"))
        today = periods.period_containing(date.today(), months or 3).start
        added = add_review_data(today)
        signings = db.session.scalar(select(func.count(Signing.id)))
        charters = db.session.scalar(select(func.count(Charter.id)))
        common.BATCH_SIZE = batch_size
        load = os.getloadavg()
        results = run_jobs(today)
        db.session.remove()
    total = sum(r["seconds"] for r in results)
    print(
        f"\n== scheduled reviews, {charters} charters, {signings:,} signings, today {today}, "
        f"batch {batch_size} (review data added in {added:.0f} s; load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}) =="
    )
    print(f"{'job':34} {'seconds':>8} {'cpu (py)':>8} {'statements':>11}  did")
    for r in results:
        did = ", ".join(f"{k} {v:,}" for k, v in r["summary"].items() if v) or "nothing"
        print(f"{r['job']:34} {r['seconds']:8.1f} {r['cpu']:8.1f} {r['statements']:11,}  {did}")
    cpu = sum(r["cpu"] for r in results)
    print(
        f"{'every job':34} {total:8.1f} {cpu:8.1f} {sum(r['statements'] for r in results):11,}"
        + (f"  OVER {REVIEWS_LIMIT_SECONDS} s" if total >= REVIEWS_LIMIT_SECONDS else "")
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10, help="of load per row and side")
    parser.add_argument("--repeat", type=int, default=15, help="in-process requests a page")
    parser.add_argument("--port", type=int, default=5170)
    parser.add_argument("--batch-size", type=int, default=1000, help="of the reviews")
    parser.add_argument("--no-reviews", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    multi, single, _size = build(args.organisations)
    apps = {"multi": multi, "single": single}
    urls = (harness.database_url(), harness.baseline_url())
    table = []
    for reference in (CHARTER, SERVICE):
        rows = [row for row in ROWS if (row[3] or CHARTER) == reference]
        if reference == SERVICE:
            grow_single(single, args.organisations)
        sizes = in_process(apps, args.repeat, rows)
        if args.seconds and load_generator.have_wrk():
            table += under_load(urls, sizes, args.seconds, args.port, rows)
        elif args.seconds:
            print("(wrk not found: apt-get install wrk for the figures under load)")
    total = None if args.no_reviews else reviews(multi, args.batch_size)
    if table:
        print(
            "\n== under load: 4 charters against a single charter of the same size (Shropshire's "
            "signings for its register and the API, every organisation for the combined one) =="
        )
        print(HEADER)
        for name, service, alone, bare in table:
            print(_row(name, service, alone, bare))
    if total is not None:
        print(f"scheduled reviews over every charter: {total:.1f} s (limit 60 s)")
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
