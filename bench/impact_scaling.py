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
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from register_scaling import build_app, measure, populate
from sqlalchemy import insert, select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, ReturnLine
from charter.services.read_models.impact import build

QUARTERS = 8
BATCH = 2000


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


def add_figures(organisation_ids: list[int], measures: list[Measure]) -> None:
    """Verified returns for 8 quarters with a figure for every measure, in bulk."""
    periods = quarter_ends(QUARTERS)
    for offset in range(0, len(organisation_ids), BATCH):
        chunk = organisation_ids[offset : offset + BATCH]
        db.session.execute(
            insert(MonitoringReturn),
            [
                {
                    "organisation_id": org_id,
                    "period_start": start,
                    "period_end": end,
                    "due_date": end + timedelta(days=30),
                    "status": "verified",
                    "is_retrospective": False,
                    "is_late": False,
                    "version_id": 1,
                }
                for org_id in chunk
                for start, end in periods
            ],
        )
        returns = db.session.execute(
            select(MonitoringReturn.id, MonitoringReturn.organisation_id).where(
                MonitoringReturn.organisation_id.in_(chunk)
            )
        ).all()
        db.session.execute(
            insert(ReturnLine),
            [
                {
                    "return_id": return_id,
                    "measure_id": m.id,
                    "actual_value": Decimal((org_id * 7 + m.position * 13) % 1000 + 1),
                    "review_status": "accepted",
                }
                for return_id, org_id in returns
                for m in measures
            ],
        )
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    urls = ["/impact", "/impact?period=all&measure=LE4", "/impact.json", "/register"]
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
            measures = list(
                db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
            )
            client = app.test_client()
            done = 0
            for size in (args.small, args.large):
                populate(size - done, scheme.id, start=done)
                ids = list(
                    db.session.scalars(
                        select(Organisation.id).order_by(Organisation.id).offset(done)
                    )
                )
                started = time.perf_counter()
                add_figures(ids, measures)
                loaded = time.perf_counter() - started
                started = time.perf_counter()
                result = build.rebuild()
                db.session.commit()
                rebuilds[size] = (loaded, time.perf_counter() - started, result.cells)
                results[size] = {u: measure(client, u, args.repeat) for u in urls}
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
    print("\n/impact against /register at the same size:")
    for size, by_url in results.items():
        print(f"  {size:>7} organisations: x{by_url['/impact'][0] / by_url['/register'][0]:.2f}")


if __name__ == "__main__":
    main()
