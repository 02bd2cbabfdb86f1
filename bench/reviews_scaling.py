"""The scheduled reviews at national scale: every job of ``JOBS``, in ``run_all``'s order, over
a register of 10,000 and 100,000 organisations in which every job has work, at two batch sizes.

The register comes from ``generate.py`` (states, signatures, Charter Marks); this script adds
what the reviews read: an owner for each organisation (and a colleague for some), an approved
plan for each monitored one with its returns up to the period before the last (so the last
ended period is opened today), and a realistic share of returns due soon, overdue within the
grace period, and never sent past it; Charter Marks inside the renewal window and past their
expiry; annual confirmations missed. Deterministic for a given size.

Prints per job: seconds, statements, statements per organisation in the register, and what it
did, for each batch size; then the total. Figures only, never pass or fail: on a shared
machine only ratios measured in the same run mean anything, so the load average is printed.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_reviews \\
        .venv/bin/python bench/reviews_scaling.py --sizes 10000 100000 --batch-sizes 100 1000

DROPS every table of DATABASE_URL's database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select, text

from bench import generate
from bench.harness import bench_app, rebuild_schema
from charter.extensions import db
from charter.models import Measure, Scheme, Signing
from charter.services.domain import periods, reviews
from charter.services.domain.confirmations import last_anniversary
from charter.services.domain.reviews import common

MONITORED = {"monitoring", "under_assessment", "information_requested", "accredited"}
MONITORED |= {"renewal_due"}
MEASURES_PER_PLAN = 3
REGISTER_TABLES = set(generate.COLUMNS)
generate.COLUMNS.update(
    {
        "users": "id, email, full_name, password_hash, created_at, password_changed_at, "
        "reminder_emails, session_generation",
        "memberships": "user_id, organisation_id, role, created_at",
        "action_plans": "id, organisation_id, signing_id, scheme_id, revision, status, "
        "created_at, decided_at",
        "plan_targets": "plan_id, measure_id, baseline, target_value, target_date, approach",
        "monitoring_returns": "id, organisation_id, signing_id, plan_id, period_start, "
        "period_end, due_date, status, is_retrospective, submitted_at, first_submitted_at, "
        "is_late, created_at, version_id",
        "return_lines": "return_id, measure_id, review_status",
        "annual_confirmations": "organisation_id, signing_id, anniversary, closes_on, "
        "confirmed_at, created_at",
    }
)


def _latest_return(rng, scheme, period, today):
    """Status, due date and sent date of an organisation's newest return (the mix the jobs
    act on); older returns are verified."""
    due = periods.due_date(period.end, scheme.return_due_days)
    x = rng.random()
    if x < 0.04:  # never sent, past the grace period: lapse, or suspend a holder's mark
        return "draft", due, None
    if x < 0.12:  # due within the reminder window
        return "draft", today + timedelta(days=rng.randrange(scheme.reminder_days_before_due)), None
    if x < 0.18:  # overdue, still within the grace period: reminder, then warning
        return "draft", today - timedelta(days=rng.randrange(1, scheme.grace_period_days)), None
    sent = datetime.combine(due - timedelta(days=5), datetime.min.time())
    return ("submitted" if x < 0.24 else "verified"), due, sent


def _confirmations(oid, sid, status, signed_at, today, now) -> list[tuple]:
    """The scheduler has been running: each past anniversary but the last few days' was asked
    for, and confirmed ten days later; one signing in 33 missed its confirmation."""
    if status == "registered":
        return []
    if sid % 33 == 0:
        return [(oid, sid, today - timedelta(days=90), today - timedelta(days=30), None, now)]
    anniversary = last_anniversary(signed_at.date(), today)
    if anniversary is None or anniversary > today - timedelta(days=3):
        return []
    confirmed = anniversary + timedelta(days=10)
    confirmed_at = datetime.combine(confirmed, datetime.min.time()) if confirmed < today else None
    return [(oid, sid, anniversary, anniversary + timedelta(days=60), confirmed_at, now)]


def add_review_data(today: date, seed: int = 2026) -> float:
    """Owners, plans, returns, marks near expiry and missed confirmations, by COPY: for each
    signing under its own charter's scheme (an organisation that signed several charters has one
    owner, and a plan, returns and confirmations under each; with one charter a signing's id is
    its organisation's, so the rows are those of before the charter dimension)."""
    started = time.perf_counter()
    schemes = {s.id: s for s in db.session.scalars(select(Scheme).where(Scheme.is_current))}
    measures = {
        scheme_id: db.session.scalars(
            select(Measure.id).where(Measure.scheme_id == scheme_id).order_by(Measure.position)
        ).all()[:MEASURES_PER_PLAN]
        for scheme_id in schemes
    }
    signings = db.session.execute(
        select(
            Signing.id,
            Signing.organisation_id,
            Signing.scheme_id,
            Signing.status,
            Signing.status_changed_at,
        ).order_by(Signing.organisation_id, Signing.id)
    ).all()
    rng = random.Random(seed)
    now = datetime.combine(today, datetime.min.time())
    tables = {name: [] for name in generate.COLUMNS if name not in REGISTER_TABLES}
    return_id = 0
    seen = set()
    for sid, oid, scheme_id, status, signed_at in signings:
        scheme, measure_ids = schemes[scheme_id], measures[scheme_id]
        if oid not in seen:
            seen.add(oid)
            _members(tables, rng, oid, now)
        # Every signatory is asked each year, monitored or not (CONFIRMING_STATES).
        tables["annual_confirmations"] += _confirmations(oid, sid, status, signed_at, today, now)
        if status not in MONITORED:
            continue
        decided = min(signed_at + timedelta(days=rng.randrange(20, 90)), now - timedelta(days=2))
        tables["action_plans"].append((sid, oid, sid, scheme.id, 1, "approved", decided, decided))
        for measure_id in measure_ids:
            tables["plan_targets"].append((sid, measure_id, 0, 10, today, "Bench plan"))
        ended = periods.periods_between(decided.date(), today, scheme.monitoring_period_months)
        for n, period in enumerate(ended[:-1]):  # the last ended period is opened by the job
            if n == len(ended) - 2:
                state, due, sent = _latest_return(rng, scheme, period, today)
            else:
                state, due = "verified", periods.due_date(period.end, scheme.return_due_days)
                sent = datetime.combine(due - timedelta(days=5), datetime.min.time())
            return_id += 1
            tables["monitoring_returns"].append(
                (
                    return_id,
                    oid,
                    sid,
                    sid,
                    period.start,
                    period.end,
                    due,
                    state,
                    False,
                    sent,
                    sent,
                    False,
                    now,
                    1,
                )
            )
            if n == len(ended) - 2:
                line = "accepted" if state == "verified" else "pending"
                tables["return_lines"] += [(return_id, m, line) for m in measure_ids]
    connection = db.engine.raw_connection()
    try:
        raw = connection.driver_connection
        dialect = db.engine.dialect.name
        for table, rows in tables.items():
            generate._load(table, rows, dialect, raw)
        raw.commit()
    finally:
        connection.close()
    _near_expiry(today, min(schemes.values(), key=lambda scheme: scheme.charter_id))
    if db.engine.dialect.name == "postgresql":
        for table in tables:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            )
        db.session.commit()
        db.session.connection().exec_driver_sql("ANALYZE")
    db.session.commit()
    return time.perf_counter() - started


def _members(tables: dict, rng: random.Random, oid: int, now: datetime) -> None:
    """The organisation's owner, and for some a colleague who may have turned reminders off."""
    owner = (oid, f"owner{oid}@bench.example", "Olive Owner", "x")
    tables["users"].append((*owner, now, now, True, 0))
    tables["memberships"].append((oid, oid, "owner", now))
    if rng.random() < 0.3:
        uid = 10_000_000 + oid
        row = (uid, f"colleague{oid}@bench.example", "Colin Colleague", "x")
        tables["users"].append((*row, now, now, rng.random() < 0.8, 0))
        tables["memberships"].append((uid, oid, "contributor", now))


def _near_expiry(today: date, scheme: Scheme) -> None:
    """One holder in eight enters its renewal window; half the marks due for renewal lapse
    (the default charter's scheme, ``scheme``, gives the window)."""
    window = scheme.renewal_window_days
    for signing_id, days in db.session.execute(
        select(Signing.id, Signing.organisation_id % window).where(
            Signing.mark_status == "accredited", Signing.organisation_id % 8 == 0
        )
    ).all():
        db.session.execute(
            text("UPDATE charter_marks SET expires_on = :d WHERE signing_id = :s"),
            {"d": today + timedelta(days=days), "s": signing_id},
        )
    db.session.execute(
        text(
            "UPDATE charter_marks SET expires_on = :d WHERE signing_id IN "
            "(SELECT id FROM signings WHERE mark_status = 'renewal_due' "
            "AND organisation_id % 2 = 0)"
        ),
        {"d": today - timedelta(days=3)},
    )
    db.session.commit()


def run_jobs(today: date) -> list[dict]:
    """Every job in run_all's order, under the lock, each timed with its statements counted."""
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    results = []
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with reviews.exclusive():
            for name in reviews.JOBS:
                counter["n"] = 0
                started, cpu = time.perf_counter(), time.process_time()
                summary = reviews._run_recorded(name, today)
                results.append(
                    {
                        "job": name,
                        "seconds": time.perf_counter() - started,
                        # This process's own CPU (Python; the database's is in its processes).
                        "cpu": time.process_time() - cpu,
                        "statements": counter["n"],
                        "summary": summary,
                    }
                )
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return results


def _did(summary: dict) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in summary.items() if v) or "nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    app = bench_app()
    # From an empty database: the schema and the default scheme first, since "today" is read
    # from the scheme (each size then starts from a schema of its own again).
    rebuild_schema(app)
    with app.app_context():
        months = db.session.scalar(select(Scheme.monitoring_period_months).limit(1)) or 3
    # The first day of a period: the busiest day, when every monitored organisation's return
    # for the period just ended is opened.
    today = periods.period_containing(date.today(), months).start
    with app.app_context():
        print(f"Scheduled reviews on {db.engine.dialect.name}, today {today}")
    totals = []
    built = True  # just now
    for size in args.sizes:
        for batch_size in args.batch_sizes:
            if not built:
                rebuild_schema(app)
            built = False
            with app.app_context():
                made = generate.grow_to(size)
                added = add_review_data(today)
                common.BATCH_SIZE = batch_size
                load = os.getloadavg()
                results = run_jobs(today)
            total = sum(r["seconds"] for r in results)
            statements = sum(r["statements"] for r in results)
            totals.append((size, batch_size, total, statements))
            print(
                f"\n{size:,} organisations, batch size {batch_size} (generated in "
                f"{made + added:.0f} s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})"
            )
            print(f"{'job':34} {'seconds':>8} {'statements':>11} {'per org':>8}  did")
            for r in results:
                print(
                    f"{r['job']:34} {r['seconds']:8.1f} {r['statements']:11,} "
                    f"{r['statements'] / size:8.4f}  {_did(r['summary'])}"
                )
            print(f"{'every job':34} {total:8.1f} {statements:11,} {statements / size:8.4f}")
    print("\nTotals")
    print(f"{'organisations':>13} {'batch':>6} {'seconds':>8} {'statements':>11} {'per org':>8}")
    for size, batch_size, total, statements in totals:
        print(f"{size:13,} {batch_size:6} {total:8.1f} {statements:11,} {statements / size:8.4f}")


if __name__ == "__main__":
    main()
