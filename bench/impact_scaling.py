"""What the impact page costs as the charter grows: the page against the register page.

Builds a throwaway database (SQLite, or DATABASE_URL: it drops and rebuilds that database's
tables, so point it at a scratch database) with N organisations, each with verified returns
for 8 quarters x 12 measures, rebuilds the impact summary rows, and times /impact, a filtered
/impact and /impact.json against /register at two sizes, in the same run. The page reads
summary rows, so its time should not grow with N; the rebuild (nightly) grows with the rows.

    .venv/bin/python bench/impact_scaling.py [--small 500] [--large 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from register_scaling import build_app, measure, populate
from sqlalchemy import false, func, insert, literal, select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, ReturnLine, Signing
from charter.services.read_models.impact import build

QUARTERS = 8
COLD = "/c/shropshire/register (not from its cache)"
LINE_CHUNK = 5000  # organisations per INSERT ... SELECT of return lines


def quarter_ends(count: int) -> list[tuple[date, date]]:
    """The ``count`` calendar quarters ending before the last 1 April."""
    today = date.today()
    end = date(today.year if today.month >= 4 else today.year - 1, 3, 31)
    periods = []
    for _ in range(count):
        start = date(end.year, end.month - 2, 1)
        periods.append((start, end))
        end = start - timedelta(days=1)
    return periods


def add_figures(first_id: int, scheme_id: int, last_id: int | None = None) -> None:
    """Verified returns for 8 quarters with a figure for every measure, for organisations from
    ``first_id`` on (to ``last_id``): set-based INSERT ... SELECT (one per quarter, then one per
    chunk of organisations for the lines), so generating millions of lines never leaves the
    database."""
    now = datetime.now()
    created = literal(now)
    # Signings that report already (``make bench`` gives some published figures first) keep
    # their returns: these are for the others.
    reports = select(MonitoringReturn.id).where(
        MonitoringReturn.signing_id == Signing.id, MonitoringReturn.created_at != now
    )
    if last_id is None:
        last_id = db.session.scalar(select(func.max(Organisation.id)))
    for start, end in quarter_ends(QUARTERS):
        rows = (
            select(
                Organisation.id,
                Signing.id,
                literal(start),
                literal(end),
                literal(end + timedelta(days=30)),
                literal("verified"),
                false(),
                false(),
                literal(1),
                created,
            )
            .join(Signing, Signing.organisation_id == Organisation.id)
            .where(Organisation.id.between(first_id, last_id), ~reports.exists())
        )
        columns = [
            "organisation_id",
            "signing_id",
            "period_start",
            "period_end",
            "due_date",
            "status",
        ]
        columns += ["is_retrospective", "is_late", "version_id", "created_at"]
        db.session.execute(insert(MonitoringReturn).from_select(columns, rows))
    db.session.commit()
    for low in range(first_id, last_id + 1, LINE_CHUNK):
        value = (MonitoringReturn.organisation_id * 7 + Measure.position * 13) % 1000 + 1
        lines = (
            select(MonitoringReturn.id, Measure.id, value, literal("accepted"))
            .select_from(MonitoringReturn)
            .join(Measure, Measure.scheme_id == scheme_id)
            .where(
                MonitoringReturn.organisation_id.between(low, min(low + LINE_CHUNK - 1, last_id)),
                MonitoringReturn.created_at == now,
            )
        )
        columns = ["return_id", "measure_id", "actual_value", "review_status"]
        db.session.execute(insert(ReturnLine).from_select(columns, lines))
        db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # What autovacuum would have done by the next nightly rebuild after such a load.
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def timed(app, client, url: str, repeat: int) -> tuple[float, int, int]:
    """``measure``, except that COLD is /register rendered afresh each time: the register
    serves repeat requests from a per-process cache, which /impact does not have."""
    if url != COLD:
        return measure(client, url, repeat)
    runs = []
    for _ in range(repeat):
        app.extensions.pop("register_cache", None)
        app.extensions.pop("register_version_held", None)
        runs.append(measure(client, "/c/shropshire/register", 1))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    urls = [
        "/c/shropshire/impact",
        "/c/shropshire/impact?period=all&measure=LE4",
        "/c/shropshire/impact.json",
        "/c/shropshire/register",
        COLD,
    ]
    results, rebuilds = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        app = build_app(url)
        with app.app_context():
            from flask_migrate import upgrade

            from charter.services.domain.schemes import load_scheme_file

            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            upgrade()
            scheme = load_scheme_file(app.config["DEFAULT_SCHEME_FILE"]).scheme
            db.session.commit()
            client = app.test_client()
            done = 0
            for size in (args.small, args.large):
                populate(size - done, scheme.id, start=done)
                first_id = db.session.scalar(
                    select(Organisation.id).order_by(Organisation.id).offset(done).limit(1)
                )
                started = time.perf_counter()
                add_figures(first_id, scheme.id)
                loaded = time.perf_counter() - started
                print(f"{size} organisations: figures loaded in {loaded:.1f} s", flush=True)
                started = time.perf_counter()
                result = build.rebuild()
                db.session.commit()
                rebuilds[size] = (loaded, time.perf_counter() - started, result.cells)
                print(f"{size} organisations: rebuilt in {rebuilds[size][1]:.1f} s", flush=True)
                results[size] = {u: timed(app, client, u, args.repeat) for u in urls}
                done = size
            db.session.remove()
            db.drop_all()

    lines = QUARTERS * 12
    print(f"{'request':36} {'organisations':>13} {'ms':>8} {'queries':>8} {'bytes':>9}")
    for size, by_url in results.items():
        for u, (seconds, queries, length) in by_url.items():
            print(f"{u:36} {size:>13} {seconds * 1000:>8.1f} {queries:>8} {length:>9}")
    print()
    for size, (loaded, rebuilt, cells) in rebuilds.items():
        print(
            f"{size} organisations, {size * lines:,} return lines: loaded in {loaded:.1f} s, "
            f"summary rebuilt in {rebuilt:.2f} s ({cells} cells)"
        )
    print(f"\nratio large/small (organisations x{args.large / args.small:.0f}):")
    for u in urls:
        small, large = results[args.small][u], results[args.large][u]
        print(f"  {u:34} time x{large[0] / small[0]:.2f}   queries {small[1]} -> {large[1]}")
    print("\n/impact against /register at the same size (served from its cache; rendered):")
    for size, by_url in results.items():
        page = by_url["/c/shropshire/impact"][0]
        cached, cold = by_url["/c/shropshire/register"][0], by_url[COLD][0]
        print(f"  {size:>7} organisations: x{page / cached:.2f}; x{page / cold:.2f}")


if __name__ == "__main__":
    main()
