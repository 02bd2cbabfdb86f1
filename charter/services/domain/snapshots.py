"""The snapshot an application is judged on: the plan's targets, verified returns with their
evidence, contracts, progress per measure and proxy values, as plain JSON (strings for numbers,
ISO dates), taken when the organisation applies so later edits cannot change what is assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.formatting import format_amount
from charter.models import (
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
    Scheme,
)
from charter.models.assessment import Application
from charter.models.base import utcnow
from charter.models.contract import CONTRACT_CONFIRMATION_LABELS
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import UNITS
from charter.services.domain import contracts, progress, returns, signings
from charter.services.domain.proxy_values import values_in_force
from charter.services.notices import links

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
                signings.belongs(MonitoringReturn, organisation),
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
                        "url": links.path(
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


def _windows(organisation: Organisation, today: date | None) -> dict:
    """The periods the progress figures cover, so the assessor sees what was compared."""
    start = progress.plan_start(organisation)
    year = progress.current_plan_year(organisation, today)
    assessed = progress.assessed_window(organisation, today)
    return {
        "rule": (
            "Flow targets are annual, per plan year from the first plan approval; a return counts "
            "in the plan year in which its period ends. Stock targets take the latest verified "
            "figure."
        ),
        "plan_start": start.isoformat() if start else None,
        "current_plan_year": progress.flow_window(year).as_json() if year else None,
        "assessed": assessed.as_json() if assessed else None,
    }


def take_snapshot(organisation: Organisation, scheme: Scheme, today: date | None = None) -> dict:
    plan, targets = _targets(organisation)
    measured = progress.measure_progress(organisation, today)
    contract_count, contract_total = contracts.contract_summary(organisation)
    day = today or date.today()
    proxy_values = proxy_rows(
        [(p.measure.id, p.measure.code, p.achieved) for p in measured],
        values_in_force(scheme, day),
        day,
    )
    return {
        "taken_at": utcnow().isoformat(timespec="seconds"),
        "scheme": {"id": scheme.id, "slug": scheme.slug, "version": scheme.version},
        "windows": _windows(organisation, today),
        "plan": plan,
        "targets": targets,
        "verified_returns": _verified_returns(organisation),
        "contracts": [
            {
                "id": row.contract.id,
                "commissioner": row.contract.commissioner.name,
                "title": row.contract.title,
                "reference": row.contract.reference,
                "value": str(row.contract.value),
                "start_date": row.contract.start_date.isoformat(),
                "end_date": row.contract.end_date.isoformat(),
                "confirmation_status": row.contract.confirmation_status,
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
                "window": p.window.as_json() if p.window else None,
                "met_in": p.met_in.as_json() if p.met_in else None,
                "past_years": [
                    {**y.window.as_json(), "achieved": str(y.achieved), "is_met": y.is_met}
                    for y in p.past_years
                ],
            }
            for p in measured
        ],
        "proxy_values": proxy_values,
    }


def proxy_rows(
    achieved: list[tuple[int, str, Decimal]], in_force: dict[str, Decimal], day: date
) -> list[dict]:
    """For each measure (id, code, achieved) with a proxy value in force on ``day``: the value,
    that day, and the figure in pounds, as /impact monetises a figure with the value in force.
    Flows and stocks alike: 12 FTE at £14,500 per FTE is £174,000."""
    return [
        {
            "measure_id": measure_id,
            "code": code,
            "proxy_value": str(in_force[code]),
            "in_force_on": day.isoformat(),
            "achieved": str(value),
            "social_value": str((value * in_force[code]).quantize(PENNY)),
        }
        for measure_id, code, value in achieved
        if code in in_force
    ]


# --- reading a snapshot back ---------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


@dataclass(frozen=True)
class SnapshotEvidence:
    kind: str  # file | link
    name: str
    file_id: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class SnapshotActual:
    period_start: date | None
    period_end: date | None
    value: Decimal | None


@dataclass(frozen=True)
class SnapshotMeasure:
    measure_id: int
    code: str
    title: str
    unit: str
    is_core: bool
    baseline: Decimal | None
    target_value: Decimal | None
    target_date: date | None
    achieved: Decimal
    periods: int
    is_met: bool
    actuals: list[SnapshotActual] = field(default_factory=list)
    evidence: list[SnapshotEvidence] = field(default_factory=list)
    # Which period ``achieved`` covers, as recorded (older snapshots have none).
    window_label: str | None = None

    @property
    def unit_label(self) -> str:
        return UNITS.get(self.unit, self.unit)

    def amount(self, value: Decimal | None) -> str:
        """A figure with its unit, as people write it: £1,250 or 12.5 FTE."""
        if value is None:
            return "Not given"
        return format_amount(value, self.unit)


def _one_evidence(kind: str, entry: dict) -> SnapshotEvidence:
    name = (
        entry.get("name")
        or entry.get("original_name")
        or entry.get("description")
        or entry.get("url")
        or "Evidence"
    )
    file_id = entry.get("id") if kind == "file" else None
    url = entry.get("url") if kind == "link" else None
    return SnapshotEvidence(kind=kind, name=str(name), file_id=file_id, url=url)


def _evidence_of(entry: dict) -> list[SnapshotEvidence]:
    found = []
    for item in entry.get("evidence") or ():
        found.append(_one_evidence(item.get("kind") or "file", item))
    found += [_one_evidence("file", item) for item in entry.get("evidence_files") or ()]
    found += [_one_evidence("link", item) for item in entry.get("evidence_links") or ()]
    return found


def _returns_by_measure(snapshot: dict) -> dict[int, list[tuple[SnapshotActual, list]]]:
    """The verified figures and their evidence, per measure, from the snapshot's returns."""
    found: dict[int, list[tuple[SnapshotActual, list]]] = {}
    verified = snapshot.get("verified_returns")
    for monitoring_return in verified if isinstance(verified, list) else ():
        start = _date(monitoring_return.get("period_start"))
        end = _date(monitoring_return.get("period_end"))
        for line in monitoring_return.get("lines") or ():
            actual = SnapshotActual(start, end, _decimal(line.get("actual")))
            found.setdefault(int(line["measure_id"]), []).append((actual, _evidence_of(line)))
    return found


def verified_return_count(application: Application) -> int | None:
    verified = (application.snapshot or {}).get("verified_returns")
    if isinstance(verified, list):
        return len(verified)
    return verified if isinstance(verified, int) else None


def snapshot_measures(application: Application) -> list[SnapshotMeasure]:
    """Each target in the snapshot with the progress, figures and evidence recorded with it."""
    snapshot = application.snapshot or {}
    targets = snapshot.get("targets") or snapshot.get("measures") or []
    progress = {int(p["measure_id"]): p for p in snapshot.get("progress") or ()}
    returned = _returns_by_measure(snapshot)
    measures = []
    for target in targets:
        measure_id = int(target["measure_id"])
        item = {**progress.get(measure_id, {}), **target}
        achieved = _decimal(item.get("achieved")) or Decimal(0)
        target_value = _decimal(item.get("target_value"))
        periods = int(item.get("periods") or 0)
        is_met = item.get("is_met")
        if is_met is None:
            is_met = periods > 0 and target_value is not None and achieved >= target_value
        actuals = [
            SnapshotActual(
                _date(actual.get("period_start")),
                _date(actual.get("period_end")),
                _decimal(actual.get("value")),
            )
            for actual in item.get("actuals") or ()
        ]
        evidence = _evidence_of(item)
        for actual, line_evidence in returned.get(measure_id, []):
            actuals.append(actual)
            evidence += line_evidence
        measures.append(
            SnapshotMeasure(
                measure_id=measure_id,
                code=str(item.get("code") or f"Measure {measure_id}"),
                title=str(item.get("title") or ""),
                unit=str(item.get("unit") or ""),
                is_core=bool(item.get("is_core")),
                baseline=_decimal(item.get("baseline")),
                target_value=target_value,
                target_date=_date(item.get("target_date")),
                achieved=achieved,
                periods=periods,
                is_met=bool(is_met),
                actuals=actuals,
                evidence=evidence,
                window_label=(item.get("window") or {}).get("label"),
            )
        )
    return measures


def snapshot_contracts(application: Application) -> list[dict]:
    contracts = []
    for item in (application.snapshot or {}).get("contracts") or ():
        contracts.append(
            {
                "title": item.get("title") or "",
                "reference": item.get("reference"),
                "commissioner": item.get("commissioner") or item.get("commissioner_name") or "",
                "value": _decimal(item.get("value")),
                "start_date": _date(item.get("start_date")),
                "end_date": _date(item.get("end_date")),
                "confirmation": CONTRACT_CONFIRMATION_LABELS.get(
                    item.get("confirmation_status") or ""
                ),
            }
        )
    return contracts
