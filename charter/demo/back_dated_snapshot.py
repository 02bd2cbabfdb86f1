"""A demo application's snapshot, with the keys charter.services.domain.snapshots.take_snapshot
writes, but as of the back-dated moment the organisation applied: only the returns verified
and the contracts recorded by then."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import current_app

from charter.extensions import db
from charter.services.domain import proxy_values, returns, snapshots
from charter.services.domain.periods import plan_year_containing
from charter.services.domain.progress import (
    LATEST_VALUE_UNITS,
    flow_window,
    stock_window,
)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _file_url(slug: str, evidence_id: int) -> str:
    # A relative URL, as url_for gives inside a request; the CLI has no request to build from.
    adapter = current_app.url_map.bind("localhost")
    return adapter.build(
        "organisation.download_evidence", {"slug": slug, "evidence_id": evidence_id}
    )


def snapshot_as_of(story, when: datetime) -> dict:
    ctx = story.ctx
    db.session.flush()
    measures = ctx.measures
    achieved = story.achieved(when)
    verified = sorted(
        (s for s in story.sent if s.verified_at is not None and s.verified_at < when),
        key=lambda s: s.monitoring_return.period_start,
    )
    lines = [line for s in verified for line in s.lines]
    evidence = returns.evidence_for(lines)
    targets, progress = [], []
    plan_start = story.plan.decided_at.date()
    year = plan_year_containing(plan_start, when.date())
    for target in sorted(story.plan.targets, key=lambda t: measures[t.measure_id].position):
        measure = measures[target.measure_id]
        value, periods = achieved[measure.id]
        is_met = periods > 0 and value >= target.target_value
        percent = int(value * 100 / target.target_value) if target.target_value > 0 else 100
        targets.append(
            {
                "measure_id": measure.id,
                "code": measure.code,
                "title": measure.title,
                "unit": measure.unit,
                "is_core": measure.is_core,
                "baseline": _text(target.baseline),
                "target_value": _text(target.target_value),
                "target_date": target.target_date.isoformat(),
                "achieved": str(value),
                "periods": periods,
                "is_met": is_met,
                "actuals": [
                    {
                        "period_start": s.monitoring_return.period_start.isoformat(),
                        "period_end": s.monitoring_return.period_end.isoformat(),
                        "value": str(s.values[measure.id]),
                    }
                    for s in verified
                ],
            }
        )
        if measure.unit in LATEST_VALUE_UNITS:
            latest = verified[-1].monitoring_return if verified else None
            window = stock_window(latest.period_start, latest.period_end) if latest else None
        else:
            window = flow_window(year) if year else None
        progress.append(
            {
                "window": window.as_json() if window else None,
                "measure_id": measure.id,
                "code": measure.code,
                "title": measure.title,
                "is_core": measure.is_core,
                "target_value": str(target.target_value),
                "achieved": str(value),
                "periods": periods,
                "is_met": is_met,
                "percent_of_target": percent,
            }
        )
    slug = story.organisation.slug
    verified_returns = [
        {
            "id": s.monitoring_return.id,
            "period_start": s.monitoring_return.period_start.isoformat(),
            "period_end": s.monitoring_return.period_end.isoformat(),
            "lines": [
                {
                    "measure_id": line.measure_id,
                    "code": measures[line.measure_id].code,
                    "actual": _text(line.actual_value),
                    "narrative": line.narrative,
                    "evidence_files": [
                        {"id": f.id, "name": f.original_name, "url": _file_url(slug, f.id)}
                        for f in evidence.files.get(line.id, [])
                    ],
                    "evidence_links": [
                        {"url": link.url, "description": link.description}
                        for link in evidence.links.get(line.id, [])
                    ],
                }
                for line in s.lines
            ],
        }
        for s in verified
    ]
    names = {c.id: c.name for c in ctx.commissioners.values()}
    contracts = [c for c in story.contracts if c.created_at < when]
    return {
        "taken_at": when.isoformat(timespec="seconds"),
        "scheme": {"id": ctx.scheme.id, "slug": ctx.scheme.slug, "version": ctx.scheme.version},
        "windows": {
            "rule": "Flow targets are annual, per plan year from the first plan approval; a "
            "return counts in the plan year in which its period ends. Stock targets take the "
            "latest verified figure.",
            "plan_start": plan_start.isoformat(),
            "current_plan_year": flow_window(year).as_json() if year else None,
        },
        "plan": {"id": story.plan.id, "revision": story.plan.revision},
        "targets": targets,
        "verified_returns": verified_returns,
        "contracts": [
            {
                "id": c.id,
                "commissioner": names[c.commissioner_id],
                "title": c.title,
                "reference": c.reference,
                "value": str(c.value),
                "start_date": c.start_date.isoformat(),
                "end_date": c.end_date.isoformat(),
                "confirmation_status": c.confirmation_status
                if c.confirmed_at is not None and c.confirmed_at < when
                else "unconfirmed",
            }
            for c in contracts
        ],
        "contract_count": len(contracts),
        "contract_total": str(sum((c.value for c in contracts), Decimal(0))),
        "progress": progress,
        # The demo sets no proxy values (each charter chooses its own), so this is empty
        # unless someone has set some before loading it.
        "proxy_values": snapshots.proxy_rows(
            [(p["measure_id"], p["code"], Decimal(p["achieved"])) for p in progress],
            proxy_values.values_in_force(ctx.scheme, when.date()),
            when.date(),
        ),
    }
