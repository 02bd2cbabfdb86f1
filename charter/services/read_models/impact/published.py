"""An organisation's own verified figures, for its register page and the API, when it has
agreed to publish them. Without that consent only the "targets met" summary is public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, select

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, ReturnLine, Signing
from charter.services.domain import signings
from charter.services.domain.plausibility import counts


@dataclass(frozen=True)
class PublishedFigure:
    period_start: date
    period_end: date
    value: Decimal


@dataclass(frozen=True)
class PublishedMeasure:
    measure: Measure
    figures: list[PublishedFigure]  # oldest first


def published_figures(organisation_id: int, publishes: bool) -> list[PublishedMeasure]:
    """Verified figures per measure and period, or [] without consent (``publishes``, the
    signing's answer). One query."""
    if not publishes:
        return []
    return published_figures_of([organisation_id]).get(organisation_id, [])


def published_figures_of(organisation_ids: list[int]) -> dict[int, list[PublishedMeasure]]:
    """Each consenting organisation's verified figures, for a whole batch of organisations in
    one query (the open-data export asks once per keyset batch). Organisations without consent,
    or without verified figures, are absent."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(_figures_statement(), {"organisation_ids": organisation_ids})
    found: dict[int, dict[int, PublishedMeasure]] = {}
    for organisation_id, measure, start, end, value in rows:
        by_measure = found.setdefault(organisation_id, {})
        entry = by_measure.setdefault(measure.id, PublishedMeasure(measure, []))
        entry.figures.append(PublishedFigure(start, end, value))
    return {key: list(by_measure.values()) for key, by_measure in found.items()}


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


@cache
def _figures_statement() -> Select:
    """``published_figures_of``'s statement, built once (its consent join and the figures'
    rules alias tables: building it cost more than running it for one organisation's page)."""
    figures = (
        select(
            MonitoringReturn.organisation_id,
            Measure,
            MonitoringReturn.period_start,
            MonitoringReturn.period_end,
            ReturnLine.actual_value,
        )
        .join(ReturnLine, ReturnLine.measure_id == Measure.id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
    )
    return (
        signings.join_consent(figures, MonitoringReturn.organisation_id, Measure.scheme_id)
        .where(
            MonitoringReturn.organisation_id.in_(bindparam("organisation_ids", expanding=True)),
            Signing.publishes_figures.is_(True),
            counts(),
            ReturnLine.actual_value.is_not(None),
        )
        .order_by(MonitoringReturn.organisation_id, Measure.position, MonitoringReturn.period_end)
    )
