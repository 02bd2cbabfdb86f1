"""Published figures in the demo's shape, for the open-data download bench and ``make bench``:
the register's JSON export and an organisation's page carry each consenting organisation's
verified figures, and without them the generated register made a 49.5 MB file at 100,000
organisations where realistic data makes 124.6 MiB (issue 23).

The demo's organisations that publish report 6 measures, each over 1 to 9 quarters (3, 1, 1, 3,
9, 2, 3, 9, 3, 3, 8, 3, 5, 1, 2 and 7: 3.9 on average); the same pattern is given, in turn, to a
``share`` of all organisations, chosen among those monitored (which alone have verified
returns). Their signing consents to publishing, and each quarter is a verified return with an
accepted line per measure, written by COPY (PostgreSQL) as ``generate.py`` writes the
register.
Deterministic for a given share and seed.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text, update

from bench.generate import load_tables
from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, Scheme, Signing
from charter.services.read_models import register_version

MONITORED = ("monitoring",)  # the signatory's duties, whatever its Mark
DEMO_QUARTERS = (3, 1, 1, 3, 9, 2, 3, 9, 3, 3, 8, 3, 5, 1, 2, 7)
MEASURES = 6
# The share of all organisations that makes the 100,000-organisation register.json about
# 124.6 MiB with the generated register's other fields (measured: 131,011,321 bytes, 124.9 MiB).
DEFAULT_SHARE = 0.297

COLUMNS = {
    "monitoring_returns": "id, organisation_id, signing_id, period_start, period_end, due_date, "
    "status, is_retrospective, is_late, submitted_at, first_submitted_at, verified_at, "
    "created_at, version_id",
    "return_lines": "return_id, measure_id, actual_value, review_status",
}


def quarters_before(today: date, count: int) -> list[tuple[date, date]]:
    """The ``count`` calendar quarters that ended before ``today``, newest first."""
    end = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1) - timedelta(days=1)
    found = []
    for _ in range(count):
        start = date(end.year, end.month - 2, 1)
        found.append((start, end))
        end = start - timedelta(days=1)
    return found


def add_published_figures(share: float = DEFAULT_SHARE, seed: int = 2026) -> tuple[int, float]:
    """Consent and verified figures for ``share`` of the organisations; (how many, seconds)."""
    if not 0 <= share <= 1:
        raise ValueError(f"the share of organisations must be between 0 and 1, not {share}")
    started = time.perf_counter()
    scheme = db.session.scalar(select(Scheme).where(Scheme.is_current))
    measure_ids = db.session.scalars(
        select(Measure.id).where(Measure.scheme_id == scheme.id).order_by(Measure.position)
    ).all()[:MEASURES]
    # Only organisations added since the last call: a bench that grows the register in steps
    # gives each step's organisations their share once.
    done_up_to = db.session.scalar(select(func.max(MonitoringReturn.organisation_id))) or 0
    total = db.session.scalar(
        select(func.count(Organisation.id)).where(Organisation.id > done_up_to)
    )
    candidates = db.session.execute(
        select(Organisation.id, Signing.id)
        .join(Signing, Signing.organisation_id == Organisation.id)
        .where(Signing.status.in_(MONITORED), Organisation.id > done_up_to)
        .order_by(Organisation.id)
    ).all()
    rng = random.Random(seed)
    chosen = sorted(rng.sample(candidates, min(len(candidates), round(total * share))))
    quarters = quarters_before(date.today(), max(DEMO_QUARTERS))
    now = datetime.now().replace(microsecond=0)
    next_id = (db.session.scalar(select(func.max(MonitoringReturn.id))) or 0) + 1
    returns, lines = [], []
    for n, (organisation_id, signing_id) in enumerate(chosen):
        for start, end in quarters[: DEMO_QUARTERS[n % len(DEMO_QUARTERS)]]:
            due = end + timedelta(days=30)
            sent = datetime.combine(due - timedelta(days=5), datetime.min.time())
            verified = sent + timedelta(days=7)
            row = (next_id, organisation_id, signing_id, start, end, due, "verified")
            returns.append((*row, False, False, sent, sent, verified, now, 1))
            for measure_id in measure_ids:
                value = Decimal(rng.randrange(100, 5_000_000)) / 100
                lines.append((next_id, measure_id, value, "accepted"))
            next_id += 1
    db.session.commit()
    load_tables({"monitoring_returns": returns, "return_lines": lines}, COLUMNS)
    ids = [organisation_id for organisation_id, _ in chosen]
    for low in range(0, len(ids), 10_000):
        db.session.execute(
            update(Signing)
            .where(Signing.organisation_id.in_(ids[low : low + 10_000]))
            .values(publishes_figures=True)
        )
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE signings"))
    register_version.bump(db.session)  # raw writes: the pages (and the exports) changed
    db.session.commit()
    return len(chosen), time.perf_counter() - started
