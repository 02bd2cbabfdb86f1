"""Does one run of the scheduled reviews reach a fixed point? Run them twice on the same day and
count what the second run changed: rows added or removed, and rows rewritten, in every table
but ``job_runs`` (each run records itself there, by design), audit_events included.

The register is the reviews bench's (``generate.py`` and ``reviews_scaling.add_review_data``),
plus a few organisations in each state where one job's output is another's input on the same
day (``seed_dependency_cases``; reviews/__init__.py lists the dependencies). The same data, at a
few hundred organisations, is the normal test suite's check
(tests/services/domain/test_reviews_fixed_point.py); this script is the check at scale:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_reviews \\
        .venv/bin/python bench/reviews_fixed_point.py --size 10000

Prints what each run did and what the second one changed (must be nothing); exit status 1 if
it changed anything. DROPS every table of DATABASE_URL's database.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from charter.extensions import db
from charter.models import Scheme
from charter.services.domain import periods, reviews
from workflows.states import split_stage

# Written by every run to record itself: not a change the run made to the service's data.
RUN_RECORDS = {"job_runs"}
# The dependency cases: a job's output that, if it ran after the job reading it, made a
# second run act (upstream -> downstream).
CASES = (
    "expire_marks -> lapse_overdue",
    "expire_marks -> warn_before_sanctions",
    "reinstate_marks -> warn_before_sanctions",
    "expire_marks -> enforce_annual_confirmations",
)


# --- what changed -------------------------------------------------------------------------------


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table but the run records: (rows, digest of every row in key order)."""
    db.session.expire_all()
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name in RUN_RECORDS:
            continue
        digest, rows = hashlib.sha256(), 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in db.session.execute(select(table).order_by(*order)).yield_per(5000):
            digest.update(repr(tuple(row)).encode())
            rows += 1
        found[table.name] = (rows, digest.hexdigest())
    db.session.commit()
    return found


def changes(before: dict, after: dict) -> dict[str, str]:
    """{table: what changed}, only for tables that changed."""
    out = {}
    for name, (rows, digest) in after.items():
        was_rows, was_digest = before.get(name, (0, ""))
        if (rows, digest) != (was_rows, was_digest):
            out[name] = f"{rows - was_rows:+d} rows" + (
                ", rows rewritten" if rows == was_rows else ""
            )
    return out


def summary_of(results: dict) -> dict[str, dict]:
    """Each job's non-zero counts (skipped and organisations_checked are reads, not acts)."""
    return {
        job: {
            k: v for k, v in counts.items() if v and k not in ("skipped", "organisations_checked")
        }
        for job, counts in results.items()
    }


# --- data ---------------------------------------------------------------------------------------


def _execute(sql: str, **params) -> None:
    db.session.execute(text(sql), params)


def _latest_return_never_sent(organisation_ids: list[int], due: date) -> None:
    """The organisations' newest return: a draft never sent, due on ``due``."""
    for oid in organisation_ids:
        _execute(
            "UPDATE monitoring_returns SET status = 'draft', submitted_at = NULL, "
            "first_submitted_at = NULL, due_date = :due WHERE id = (SELECT max(id) FROM "
            "monitoring_returns WHERE organisation_id = :oid)",
            due=due,
            oid=oid,
        )


def _state(oid: int, status: str, mark: str, expires_on: date) -> None:
    """The signing at stage ``status`` (workflows.states.stage), its Mark row ``mark``."""
    duties, mark_state = split_stage(status)
    _execute(
        "UPDATE signings SET status = :s, mark_status = :m WHERE organisation_id = :o",
        s=duties,
        m=mark_state,
        o=oid,
    )
    _execute(
        "UPDATE charter_marks SET status = :m, expires_on = :e WHERE organisation_id = :o",
        m=mark,
        e=expires_on,
        o=oid,
    )


def seed_dependency_cases(today: date, per_case: int) -> dict[str, list[int]]:
    """Turn Charter Mark holders of the generated register into ``per_case`` organisations of
    each case of ``CASES``; returns their ids by case. Every other duty of theirs is met."""
    scheme = db.session.scalar(select(Scheme).where(Scheme.is_current))
    holders = db.session.scalars(
        text(
            "SELECT s.organisation_id FROM signings s WHERE s.mark_status = 'accredited' "
            "AND EXISTS (SELECT 1 FROM monitoring_returns r "
            "WHERE r.organisation_id = s.organisation_id) "
            "ORDER BY s.organisation_id"
        )
    ).all()
    if len(holders) < per_case * len(CASES):
        raise ValueError(f"{len(holders)} holders: too few for {per_case} of each case")
    cases = {case: holders[n * per_case : (n + 1) * per_case] for n, case in enumerate(CASES)}
    grace = scheme.grace_period_days
    expired = today - timedelta(days=3)
    in_force = today + timedelta(days=scheme.renewal_window_days + 100)
    # No confirmation missed, but where the case is about one.
    chosen = [oid for ids in cases.values() for oid in ids]
    for oid in chosen:
        _execute(
            "UPDATE annual_confirmations SET confirmed_at = :now WHERE organisation_id = :o "
            "AND confirmed_at IS NULL AND closes_on < :today",
            now=today - timedelta(days=1),
            o=oid,
            today=today,
        )
    # A holder renewing too late, whose latest return was never sent: past the grace period.
    for oid in cases["expire_marks -> lapse_overdue"]:
        _state(oid, "renewal_due", "valid", expired)
    _latest_return_never_sent(cases["expire_marks -> lapse_overdue"], today - timedelta(grace + 5))
    # A Mark suspended (for a confirmation given late) that has expired, with a return not sent
    # whose grace period ends in 5 days: back in monitoring, it is to be warned.
    for oid in cases["expire_marks -> warn_before_sanctions"]:
        _state(oid, "mark_suspended", "suspended", expired)
    # A Mark suspended whose cause is met (the confirmation given), still in force.
    for oid in cases["reinstate_marks -> warn_before_sanctions"]:
        _state(oid, "mark_suspended", "suspended", in_force)
    warned = (
        cases["expire_marks -> warn_before_sanctions"]
        + cases["reinstate_marks -> warn_before_sanctions"]
    )
    _latest_return_never_sent(warned, today - timedelta(grace - 5))
    # A holder renewing too late, whose annual confirmation was missed.
    for oid in cases["expire_marks -> enforce_annual_confirmations"]:
        _state(oid, "renewal_due", "valid", expired)
        _execute("DELETE FROM annual_confirmations WHERE organisation_id = :o", o=oid)
        _execute(
            "INSERT INTO annual_confirmations (organisation_id, signing_id, anniversary, "
            "closes_on, created_at) VALUES (:o, :o, :a, :c, :now)",
            o=oid,
            a=today - timedelta(days=90),
            c=today - timedelta(days=30),
            now=today - timedelta(days=90),
        )
    db.session.commit()
    return cases


def build(size: int, today: date, per_case: int) -> dict[str, list[int]]:
    """The reviews bench's register of ``size`` organisations, with the dependency cases."""
    from bench import generate, reviews_scaling

    generate.grow_to(size)
    reviews_scaling.add_review_data(today)
    return seed_dependency_cases(today, per_case)


def review_day() -> date:
    """The first day of a monitoring period: the busiest day (as the reviews bench)."""
    months = db.session.scalar(select(Scheme.monitoring_period_months).limit(1)) or 3
    return periods.period_containing(date.today(), months).start


def run_twice(today: date) -> tuple[dict, dict, dict, dict, dict, float, float]:
    """Both runs' counts, the snapshots before and after the second, and the seconds each
    run took."""
    started = time.perf_counter()
    first = reviews.run_all(today)
    first_seconds = time.perf_counter() - started
    before = snapshot()
    started = time.perf_counter()
    second = reviews.run_all(today)
    second_seconds = time.perf_counter() - started
    return first, second, before, snapshot(), first_seconds, second_seconds


def _rows(found: dict, table: str | None = None) -> int:
    return found[table][0] if table else sum(rows for rows, _ in found.values())


def main() -> None:
    from bench.harness import bench_app, rebuild_schema

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--per-case", type=int, default=5)
    args = parser.parse_args()
    app = bench_app()
    rebuild_schema(app)
    with app.app_context():
        today = review_day()
        started = time.perf_counter()
        cases = build(args.size, today, args.per_case)
        built = time.perf_counter() - started
        rows = db.session.scalar(select(func.count()).select_from(text("audit_events")))
        print(
            f"Scheduled reviews twice on {db.engine.dialect.name}, today {today}: "
            f"{args.size:,} organisations ({built:.0f} s to build; {rows:,} audit rows), "
            f"{args.per_case} of each dependency case"
        )
        for case, ids in cases.items():
            print(f"  {case}: organisations {ids}")
        first, second, before, after, first_s, second_s = run_twice(today)
    for label, results, seconds in (("first", first, first_s), ("second", second, second_s)):
        print(f"\n{label} run ({seconds:.1f} s):")
        for job, counts in summary_of(results).items():
            print(f"  {job:34} {', '.join(f'{k} {v:,}' for k, v in counts.items()) or '-'}")
    changed = changes(before, after)
    print("\nChanged by the second run (every table but job_runs, compared row by row):")
    for label, table in (("rows in every table", None), ("audit_events", "audit_events")):
        was, now = _rows(before, table), _rows(after, table)
        print(f"  {label}: {was:,} before, {now:,} after ({now - was:+,})")
    print(f"  tables with a row added, removed or rewritten: {len(changed)}")
    for table, change in changed.items():
        print(f"    {table}: {change}")
    if not changed:
        print("  nothing: one run reached a fixed point")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
