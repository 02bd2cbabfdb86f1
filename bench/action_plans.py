"""Approved action plans in the demo's shape, for ``make bench``: an organisation's page shows
its plan's targets and its progress towards them (``services.domain.progress``), and without
plans the generated register's pages skipped that part, which is most of what such a page
reads and renders (three statements more, and the progress table).

In the demo every signing being monitored, and every suspended one, has an approved plan, of
5.6 targets on average; here each such signing gets one of ``MEASURES`` targets (the measures
its published figures report, ``published_figures``), approved when it started monitoring.
Written by COPY (PostgreSQL) as the register's rows are. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from bench.generate import load_tables
from bench.published_figures import MEASURES
from charter.extensions import db
from charter.models import ActionPlan, Measure, Signing
from charter.services.read_models import register_version

# The demo's: every signing being monitored has an approved plan, and so has a suspended one.
WITH_PLAN = ("monitoring", "suspended")
APPROACH = "Recruit through the local jobcentre and report each quarter's figures."

COLUMNS = {
    "action_plans": "id, organisation_id, scheme_id, revision, status, created_at, "
    "submitted_at, decided_at, signing_id",
    "plan_targets": "plan_id, measure_id, baseline, target_value, target_date, approach",
}


def add_approved_plans(seed: int = 2026) -> tuple[int, float]:
    """An approved plan for each signing in ``WITH_PLAN`` of the organisations added since the
    last call; (how many, seconds)."""
    started = time.perf_counter()
    done_up_to = db.session.scalar(select(func.max(ActionPlan.organisation_id))) or 0
    signings = db.session.execute(
        select(Signing.id, Signing.organisation_id, Signing.scheme_id)
        .where(Signing.status.in_(WITH_PLAN), Signing.organisation_id > done_up_to)
        .order_by(Signing.id)
    ).all()
    measures: dict[int, list[int]] = {}
    rng = random.Random(seed)
    next_id = (db.session.scalar(select(func.max(ActionPlan.id))) or 0) + 1
    approved = datetime.combine(date.today() - timedelta(days=400), datetime.min.time())
    sent = approved - timedelta(days=14)
    plans, targets = [], []
    for signing_id, organisation_id, scheme_id in signings:
        if scheme_id not in measures:
            measures[scheme_id] = db.session.scalars(
                select(Measure.id)
                .where(Measure.scheme_id == scheme_id)
                .order_by(Measure.position)
                .limit(MEASURES)
            ).all()
        plans.append(
            (next_id, organisation_id, scheme_id, 1, "approved", sent, sent, approved, signing_id)
        )
        for measure_id in measures[scheme_id]:
            baseline = Decimal(rng.randrange(100, 500_000))
            target = (baseline * Decimal(rng.randrange(110, 150)) / 100).quantize(Decimal(1))
            when = approved.date() + timedelta(days=rng.choice((365, 548, 730)))
            targets.append((next_id, measure_id, baseline, target, when, APPROACH))
        next_id += 1
    db.session.commit()
    load_tables({"action_plans": plans, "plan_targets": targets}, COLUMNS)
    register_version.bump(db.session)  # raw writes: the organisations' pages changed
    db.session.commit()
    return len(plans), time.perf_counter() - started
