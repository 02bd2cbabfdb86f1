"""Mixed traffic at gunicorn in production mode on PostgreSQL, then a check that nothing saved
was lost.

Builds a scratch PostgreSQL database through the migrations (it drops and recreates the
database DATABASE_URL names: point it at one you can throw away), loads the scheme, adds
organisations in monitoring with draft returns, each with an owner, and public organisations
for the register. Then gunicorn serves it (gunicorn.conf.py, CHARTER_ENV=production, behind a
pretend TLS-terminating proxy) while threads send traffic for --duration seconds:

  * anonymous visitors: the home page, the register (searched and filtered), an organisation's
    public page, the JSON API, /healthz;
  * signed-in owners: their dashboard, a return, a line of it, and saving that line with a
    new figure and narrative (a return draft saved).

It prints requests/s, p50/p95/p99 by kind, the count of 5xx answers (target 0) and of failed
connections, then checks that the last draft each owner saved for each line is what the
database holds. A plain load generator on threads rather than locust: no gevent in the test
environment, and the figures we need are few.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_x \\
        .venv/bin/python bench/load.py [--duration 60] [--owners 4] [--visitors 4]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.operations.smoke_helpers import (
    Browser,
    Gunicorn,
    run_flask,
    scratch_database,
)

PASSWORD = "bench passphrase for owners"


def build_data(database_url: str, owners: int, public: int) -> list[tuple[str, str, int, list]]:
    """Owners' emails, their organisation slug, a draft return id and its measure codes."""
    from sqlalchemy import select

    from charter import create_app
    from charter.extensions import db
    from charter.models import (
        ActionPlan,
        Measure,
        Membership,
        MonitoringReturn,
        Organisation,
        PlanTarget,
        User,
    )
    from charter.models.base import utcnow
    from charter.services.domain import returns, signings
    from charter.services.domain.accounts import hash_password
    from charter.services.domain.periods import next_period, period_containing
    from charter.services.domain.schemes import current_scheme
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(BenchConfig)
    result = []
    with app.app_context():
        scheme = current_scheme()
        core = list(
            db.session.scalars(
                select(Measure).where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            )
        )
        password_hash = hash_password(PASSWORD)
        today = next_period(period_containing(date.today(), 3), 3).end + timedelta(days=1)
        for n in range(owners + public):
            org = Organisation(
                name=f"Bench Organisation {n}",
                slug=f"bench-organisation-{n}",
                organisation_type="business",
                size="small",
                sector="Construction",
                address_line_1=f"{n} High Street",
                town="Shrewsbury",
                postcode="SY1 1AA",
                district="Shrewsbury",
                identifier_scheme="GB-COH",
                identifier=f"{n + 1:08d}",
                org_id=f"GB-COH-{n + 1:08d}",
            )
            db.session.add(org)
            db.session.flush()
            signing = signings.start(org, scheme)
            signing.route = "working_towards"
            signing.status = "monitoring" if n < owners else "signatory"
            if n >= owners:
                continue
            email = f"owner{n}@bench.example"
            user = User(
                email=email,
                full_name=f"Owner {n}",
                password_hash=password_hash,
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role="owner"))
            plan = ActionPlan(
                organisation_id=org.id,
                signing_id=signings.signing_id_of(org),
                scheme_id=scheme.id,
                revision=1,
                status="approved",
                submitted_at=utcnow() - timedelta(days=400),
                decided_at=utcnow() - timedelta(days=365),
            )
            db.session.add(plan)
            db.session.flush()
            for measure in core:
                db.session.add(
                    PlanTarget(
                        plan_id=plan.id,
                        measure_id=measure.id,
                        baseline=10,
                        target_value=50,
                        target_date=date.today() + timedelta(days=400),
                        approach="Buy locally.",
                    )
                )
            db.session.flush()
            returns.ensure_returns(org, today)
            first = db.session.scalar(
                select(MonitoringReturn)
                .where(MonitoringReturn.organisation_id == org.id)
                .order_by(MonitoringReturn.period_start)
                .limit(1)
            )
            result.append((email, org.slug, first.id, [m.code for m in core]))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return result


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.server_errors = 0
        self.failures = 0
        self.refused_saves = 0
        self.statuses: dict[int, int] = defaultdict(int)

    def timed(self, kind: str, call):
        started = time.perf_counter()
        try:
            response, data = call()
        except OSError:
            with self.lock:
                self.failures += 1
            return None, b""
        elapsed = time.perf_counter() - started
        with self.lock:
            self.samples[kind].append(elapsed)
            self.statuses[response.status] += 1
            if response.status >= 500:
                self.server_errors += 1
        return response, data


def visitor(port: int, stop: threading.Event, recorder: Recorder, slugs: list[str]) -> None:
    rng = random.Random()
    browser = Browser(port)
    pages = [
        ("home", lambda: "/"),
        ("register", lambda: "/c/shropshire/register"),
        ("register search", lambda: f"/c/shropshire/register?q=bench+{rng.randint(0, 50)}"),
        ("public page", lambda: f"/c/shropshire/register/{rng.choice(slugs)}"),
        ("api", lambda: "/api/v1/organisations"),
        ("healthz", lambda: "/healthz"),
    ]
    while not stop.is_set():
        kind, path = rng.choice(pages)
        target = path()
        recorder.timed(kind, lambda target=target: browser.get(target))


def owner(port, stop, recorder, account, saved: dict) -> None:
    email, slug, return_id, codes = account
    rng = random.Random()
    browser = Browser(port)
    response, _ = browser.submit("/sign-in", {"email": email, "password": PASSWORD})
    assert response.status == 302, f"{email} could not sign in: {response.status}"
    base = f"/organisations/{slug}"
    counter = 0
    while not stop.is_set():
        choice = rng.random()
        if choice < 0.2:
            recorder.timed("dashboard", lambda: browser.get(base))
        elif choice < 0.4:
            recorder.timed("return", lambda: browser.get(f"{base}/returns/{return_id}"))
        else:
            code = rng.choice(codes)
            line = f"{base}/returns/{return_id}/measures/{code}"
            response, data = recorder.timed("line page", lambda line=line: browser.get(line))
            if response is None or response.status != 200:
                continue
            token = Browser.token_in(data)
            counter += 1
            narrative = f"Draft {counter} by {email} at {time.time():.6f}"
            value = str(rng.randint(1, 100))  # within 100: some measures are percentages
            response, _ = recorder.timed(
                "save draft",
                lambda line=line, token=token, narrative=narrative, value=value: browser.post_form(
                    line, {"csrf_token": token, "actual_value": value, "narrative": narrative}
                ),
            )
            if response is not None and response.status == 302:
                saved[(return_id, code)] = (value, narrative)
            elif response is not None:
                with recorder.lock:
                    recorder.refused_saves += 1


def check_saved(database_url: str, saved: dict) -> tuple[int, list]:
    from sqlalchemy import select

    from charter import create_app
    from charter.extensions import db
    from charter.models import Measure, ReturnLine
    from config import Config

    class CheckConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(CheckConfig)
    wrong = []
    with app.app_context():
        for (return_id, code), (value, narrative) in saved.items():
            line = db.session.scalar(
                select(ReturnLine)
                .join(Measure, Measure.id == ReturnLine.measure_id)
                .where(ReturnLine.return_id == return_id, Measure.code == code)
            )
            if line is None or line.narrative != narrative or line.actual_value != Decimal(value):
                wrong.append((return_id, code))
        db.session.remove()
        db.engine.dispose()
    return len(saved), wrong


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of traffic")
    parser.add_argument("--owners", type=int, default=4, help="signed-in threads")
    parser.add_argument("--visitors", type=int, default=4, help="anonymous threads")
    parser.add_argument("--public", type=int, default=200, help="other organisations")
    parser.add_argument("--port", type=int, default=5186)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgresql"):
        parser.error("set DATABASE_URL to a scratch PostgreSQL database (it is recreated)")
    database_url = scratch_database(base_url, "")
    work = Path(tempfile.mkdtemp(prefix="charter-load-"))
    env = {
        **os.environ,
        "CHARTER_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "SERVICE_URL": "https://127.0.0.1",
        "TRUSTED_HOSTS": "127.0.0.1",
        "MAIL_SERVER": "127.0.0.1",
        "DATABASE_URL": database_url,
        "EVIDENCE_DIR": str(work / "evidence"),
        "CHARTER_INSTANCE_DIR": str(work / "instance"),
        "PROXY_COUNT": "1",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    print("Building the database...", flush=True)
    run_flask(env, "db", "upgrade")
    run_flask(env, "charter", "load-scheme")
    accounts = build_data(database_url, args.owners, args.public)
    slugs = [f"bench-organisation-{n}" for n in range(args.owners + args.public)]

    server = Gunicorn(env, args.port, work / "gunicorn.log")
    server.start()
    workers = len(server.worker_pids())
    recorder, saved, stop = Recorder(), {}, threading.Event()
    threads = [
        threading.Thread(target=visitor, args=(args.port, stop, recorder, slugs))
        for _ in range(args.visitors)
    ] + [
        threading.Thread(target=owner, args=(args.port, stop, recorder, account, saved))
        for account in accounts
    ]
    print(
        f"{args.duration:g}s of traffic: {args.visitors} visitors, {len(accounts)} owners, "
        f"gunicorn with {workers} workers on PostgreSQL",
        flush=True,
    )
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(args.duration)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    exit_status = server.stop()

    all_samples = [s for samples in recorder.samples.values() for s in samples]
    print(f"\n{'kind':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, samples in sorted(recorder.samples.items()):
        print(
            f"{kind:<16}{len(samples):>9}{percentile(samples, 0.5) * 1000:>9.0f}"
            f"{percentile(samples, 0.95) * 1000:>9.0f}{percentile(samples, 0.99) * 1000:>9.0f}"
        )
    print(
        f"\nrequests: {len(all_samples)} in {elapsed:.1f}s = {len(all_samples) / elapsed:.1f}/s; "
        f"p95 {percentile(all_samples, 0.95) * 1000:.0f} ms; "
        f"5xx: {recorder.server_errors}; failed connections: {recorder.failures}; "
        f"statuses: {dict(sorted(recorder.statuses.items()))}"
    )
    count, wrong = check_saved(database_url, saved)
    print(
        f"drafts: {count} lines saved during the load, {count - len(wrong)} as last saved "
        f"in the database, {len(wrong)} missing or different; "
        f"{recorder.refused_saves} saves refused by the form"
    )
    print(f"gunicorn stopped with status {exit_status}")
    return 0 if not wrong and recorder.server_errors == 0 and exit_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
