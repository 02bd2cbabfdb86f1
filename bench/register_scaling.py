"""How the public register and its exports scale with the number of organisations.

Builds a throwaway SQLite (or DATABASE_URL) database through the migrations, bulk-inserts N
public organisations with signatures and Charter Marks, then times the register page, the CSV
export (streamed in keyset batches) and an API page at two sizes. It prints time per request,
queries per request and the ratio large/small, measured in the same run: a page that does not
grow with the register should show a ratio near 1, an export a ratio near the size ratio.

    .venv/bin/python bench/register_scaling.py [--small 200] [--large 2000] [--repeat 5]
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

from sqlalchemy import event, insert, select

from charter import create_app
from charter.extensions import db
from charter.models import Application, CharterMark, Organisation, Scheme, Signature, Signing
from config import Config


def build_app(database_url: str):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        SERVER_NAME = "localhost"
        RATELIMIT_ENABLED = False

    return create_app(BenchConfig)


def populate(count: int, scheme_id: int, start: int = 0) -> None:
    """Bulk inserts: the benchmark measures reading, not the ORM's unit of work."""
    districts = ["Shrewsbury", "Oswestry", "Bridgnorth", "North Shropshire", "Telford and Wrekin"]
    orgs = [
        {
            "name": f"Bench Organisation {i:06d}",
            "slug": f"bench-organisation-{i:06d}",
            "organisation_type": "business",
            "size": "small",
            "sector": "Construction",
            "address_line_1": "1 High Street",
            "town": "Shrewsbury",
            "postcode": "SY1 1AA",
            "district": districts[i % len(districts)],
            "identifier_scheme": "GB-COH",
            "identifier": f"{i:08d}",
            "org_id": f"GB-COH-{i:08d}",
            "version_id": 1,
        }
        for i in range(start, start + count)
    ]
    status = {
        o["slug"]: "accredited" if i % 3 == 0 else "monitoring" for i, o in enumerate(orgs, start)
    }
    db.session.execute(insert(Organisation), orgs)
    ids = dict(
        db.session.execute(
            select(Organisation.slug, Organisation.id).where(
                Organisation.slug.in_([o["slug"] for o in orgs])
            )
        ).all()
    )
    signed = datetime(2025, 1, 1, 9)
    charter_id = db.session.get(Scheme, scheme_id).charter_id
    db.session.execute(
        insert(Signing),
        [
            {
                "organisation_id": ids[o["slug"]],
                "charter_id": charter_id,
                "scheme_id": scheme_id,
                "route": "working_towards",
                "status": "monitoring",
                "mark_status": "accredited" if status[o["slug"]] == "accredited" else "no_mark",
                "status_changed_at": signed,
            }
            for o in orgs
        ],
    )
    db.session.execute(
        insert(Signature),
        [
            {
                "organisation_id": ids[o["slug"]],
                "scheme_id": scheme_id,
                "signatory_name": "Sam Signer",
                "signatory_role": "Director",
                "has_authority": True,
                "route": "working_towards",
                "accepted_principles": [],
                "signed_at": signed,
            }
            for o in orgs
        ],
    )
    signing_of = dict(
        db.session.execute(
            select(Signing.organisation_id, Signing.id).where(
                Signing.organisation_id.in_(list(ids.values()))
            )
        ).all()
    )
    holders = [o for o in orgs if status[o["slug"]] == "accredited"]
    db.session.execute(
        insert(Application),
        [
            {
                "organisation_id": ids[o["slug"]],
                "signing_id": signing_of[ids[o["slug"]]],
                "scheme_id": scheme_id,
                "status": "awarded",
                "snapshot": {},
                "version_id": 1,
            }
            for o in holders
        ],
    )
    applications = dict(
        db.session.execute(
            select(Application.organisation_id, Application.id).where(
                Application.organisation_id.in_([ids[o["slug"]] for o in holders])
            )
        ).all()
    )
    db.session.execute(
        insert(CharterMark),
        [
            {
                "organisation_id": ids[o["slug"]],
                "signing_id": signing_of[ids[o["slug"]]],
                "application_id": applications[ids[o["slug"]]],
                "scheme_id": scheme_id,
                "certificate_number": f"CM-B{n:07d}",
                "awarded_on": date.today() - timedelta(days=100),
                "expires_on": date.today() + timedelta(days=600),
                "status": "valid",
            }
            for n, o in enumerate(holders, start=start)
        ],
    )
    db.session.commit()


def measure(client, url: str, repeat: int) -> tuple[float, int, int]:
    """Best time of ``repeat`` requests (seconds), queries per request, response bytes."""
    queries = 0

    def count(*_args, **_kwargs):
        nonlocal queries
        queries += 1

    best = float("inf")
    size = 0
    for _ in range(repeat):
        queries = 0
        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        body = response.get_data()  # drains a streamed response
        elapsed = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
        best = min(best, elapsed)
        size = len(body)
    return best, queries, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

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
            urls = [
                "/c/shropshire/register",
                "/c/shropshire/register?district=Oswestry&standing=holders",
                "/api/v1/organisations?limit=50",
                "/c/shropshire/register.csv",
            ]
            results: dict[int, dict[str, tuple[float, int, int]]] = {}
            populate(args.small, scheme.id)
            results[args.small] = {u: measure(client, u, args.repeat) for u in urls}
            populate(args.large - args.small, scheme.id, start=args.small)
            results[args.large] = {u: measure(client, u, args.repeat) for u in urls}
            # Requests share this app context, so end their session before dropping tables.
            db.session.remove()
            db.drop_all()

    print(f"{'request':48} {'n':>6} {'ms':>8} {'queries':>8} {'bytes':>9}")
    for n, by_url in results.items():
        for u, (seconds, queries, size) in by_url.items():
            print(f"{u:48} {n:>6} {seconds * 1000:>8.1f} {queries:>8} {size:>9}")
    print(f"\nratio large/small (organisations x{args.large / args.small:.0f}):")
    for u in urls:
        small, large = results[args.small][u], results[args.large][u]
        print(f"  {u:46} time x{large[0] / small[0]:.2f}   queries {small[1]} -> {large[1]}")


if __name__ == "__main__":
    main()
