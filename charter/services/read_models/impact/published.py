"""An organisation's own verified figures, for its register page and the API, when it has
agreed to publish them. Without that consent only the "targets met" summary is public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, ReturnLine
from charter.models.monitoring import RETURN_VERIFIED


@dataclass(frozen=True)
class PublishedFigure:
    period_start: date
    period_end: date
    value: Decimal


@dataclass(frozen=True)
class PublishedMeasure:
    measure: Measure
    figures: list[PublishedFigure]  # oldest first


def published_figures(organisation: Organisation) -> list[PublishedMeasure]:
    """Verified figures per measure and period, or [] without consent. One query."""
    if not organisation.publishes_figures:
        return []
    rows = db.session.execute(
        select(Measure, MonitoringReturn.period_start, MonitoringReturn.period_end, ReturnLine)
        .join(ReturnLine, ReturnLine.measure_id == Measure.id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status == RETURN_VERIFIED,
            ReturnLine.actual_value.is_not(None),
        )
        .order_by(Measure.position, MonitoringReturn.period_end)
    )
    by_measure: dict[int, PublishedMeasure] = {}
    for measure, start, end, line in rows:
        entry = by_measure.setdefault(measure.id, PublishedMeasure(measure, []))
        entry.figures.append(PublishedFigure(start, end, line.actual_value))
    return list(by_measure.values())


def as_json(measures: list[PublishedMeasure]) -> list[dict]:
    """The API's and the open data's shape of the same figures."""
    return [
        {
            "measure_code": entry.measure.code,
            "measure_title": entry.measure.title,
            "unit": entry.measure.unit,
            "figures": [
                {
                    "period_start": f.period_start.isoformat(),
                    "period_end": f.period_end.isoformat(),
                    "value": str(f.value),
                }
                for f in entry.figures
            ],
        }
        for entry in measures
    ]


def decide(organisation: Organisation, publish: bool, now) -> None:
    """Record the organisation's choice (not committed)."""
    organisation.publishes_figures = publish
    organisation.publishes_figures_decided_at = now
