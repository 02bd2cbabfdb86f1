"""The snapshot an application is judged on: the plan's targets, verified returns with their
evidence, contracts, progress per measure and proxy values, as plain JSON (strings for numbers,
ISO dates), taken when the organisation applies so later edits cannot change what is assessed.
"""

from __future__ import annotations

from decimal import Decimal

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import (
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
    Scheme,
)
from charter.models.base import utcnow
from charter.models.monitoring import RETURN_VERIFIED
from charter.services import contracts, progress, returns

PENNY = Decimal("0.01")


def _text(value) -> str | None:
    return None if value is None else str(value)


def _targets(organisation: Organisation) -> tuple[dict | None, list[dict]]:
    plan = progress.approved_plan(organisation)
    if plan is None:
        return None, []
    rows = db.session.execute(
        select(PlanTarget, Measure)
        .join(Measure, Measure.id == PlanTarget.measure_id)
        .where(PlanTarget.plan_id == plan.id)
        .order_by(Measure.position)
    ).all()
    targets = [
        {
            "measure_id": measure.id,
            "code": measure.code,
            "title": measure.title,
            "unit": measure.unit,
            "is_core": measure.is_core,
            "baseline": _text(target.baseline),
            "target_value": _text(target.target_value),
            "target_date": target.target_date.isoformat() if target.target_date else None,
        }
        for target, measure in rows
    ]
    return {"id": plan.id, "revision": plan.revision}, targets


def _verified_returns(organisation: Organisation) -> list[dict]:
    found = list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(
                MonitoringReturn.organisation_id == organisation.id,
                MonitoringReturn.status == RETURN_VERIFIED,
            )
            .order_by(MonitoringReturn.period_start, MonitoringReturn.id)
        )
    )
    lines = list(
        db.session.scalars(
            select(ReturnLine)
            .options(joinedload(ReturnLine.measure))
            .where(ReturnLine.return_id.in_([r.id for r in found]))
            .order_by(ReturnLine.id)
        )
    )
    evidence = returns.evidence_for(lines)
    by_return: dict[int, list[dict]] = {}
    for line in lines:
        by_return.setdefault(line.return_id, []).append(
            {
                "measure_id": line.measure_id,
                "code": line.measure.code,
                "actual": _text(line.actual_value),
                "narrative": line.narrative,
                "evidence_files": [
                    {
                        "id": f.id,
                        "name": f.original_name,
                        "url": url_for(
                            "organisation.download_evidence",
                            slug=organisation.slug,
                            evidence_id=f.id,
                        ),
                    }
                    for f in evidence.files.get(line.id, [])
                ],
                "evidence_links": [
                    {"url": link.url, "description": link.description}
                    for link in evidence.links.get(line.id, [])
                ],
            }
        )
    return [
        {
            "id": r.id,
            "period_start": r.period_start.isoformat(),
            "period_end": r.period_end.isoformat(),
            "lines": by_return.get(r.id, []),
        }
        for r in found
    ]


def take_snapshot(organisation: Organisation, scheme: Scheme) -> dict:
    plan, targets = _targets(organisation)
    measured = progress.measure_progress(organisation)
    contract_count, contract_total = contracts.contract_summary(organisation)
    proxies = [
        {
            "measure_id": p.measure.id,
            "code": p.measure.code,
            "proxy_value": str(p.measure.proxy_value),
            "achieved": str(p.achieved),
            "social_value": str((p.achieved * p.measure.proxy_value).quantize(PENNY)),
        }
        for p in measured
        if p.measure.proxy_value is not None and p.is_cumulative
    ]
    return {
        "taken_at": utcnow().isoformat(timespec="seconds"),
        "scheme": {"id": scheme.id, "slug": scheme.slug, "version": scheme.version},
        "plan": plan,
        "targets": targets,
        "verified_returns": _verified_returns(organisation),
        "contracts": [
            {
                "id": row.contract.id,
                "commissioner": row.contract.commissioner.name,
                "title": row.contract.title,
                "value": str(row.contract.value),
            }
            for row in contracts.contracts_of(organisation)
        ],
        "contract_count": contract_count,
        "contract_total": str(contract_total),
        "progress": [
            {
                "measure_id": p.measure.id,
                "code": p.measure.code,
                "title": p.measure.title,
                "is_core": p.measure.is_core,
                "target_value": str(p.target_value),
                "achieved": str(p.achieved),
                "periods": p.periods,
                "is_met": p.is_met,
                "percent_of_target": p.percent_of_target,
            }
            for p in measured
        ],
        "proxy_values": proxies,
    }
