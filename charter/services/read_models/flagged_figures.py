"""The administrators' list of figures flagged as out of line, and where each stands: waiting
for the organisation's explanation, waiting for an assessor's check, or checked. Newest period
first; one query (plausibility flags are rare, so the list is short)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import Measure, MonitoringReturn, Organisation, ReturnLine, User
from charter.services.domain import signings
from charter.services.domain.plausibility import flag_state


@dataclass(frozen=True)
class FlaggedFigure:
    line: ReturnLine
    measure: Measure
    monitoring_return: MonitoringReturn
    organisation: Organisation
    checked_by: str | None

    @property
    def state(self) -> str:
        return flag_state(self.line)

    @property
    def period_end(self) -> date:
        return self.monitoring_return.period_end


def flagged_figures(limit: int = 500) -> list[FlaggedFigure]:
    checker = aliased(User)
    rows = db.session.execute(
        select(ReturnLine, Measure, MonitoringReturn, Organisation, checker.full_name)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .join(Organisation, Organisation.id == MonitoringReturn.organisation_id)
        .outerjoin(checker, checker.id == ReturnLine.flag_checked_by_id)
        .where(
            ReturnLine.flag_reasons.is_not(None),
            signings.of_acting_charter(MonitoringReturn.signing_id),
        )
        .order_by(MonitoringReturn.period_end.desc(), Organisation.name, Measure.position)
        .limit(limit)
    ).all()
    return [FlaggedFigure(*row) for row in rows]


def count_waiting() -> int:
    """Flagged figures no assessor has checked yet."""
    return db.session.scalar(
        select(func.count())
        .select_from(ReturnLine)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            ReturnLine.flag_reasons.is_not(None),
            ReturnLine.flag_checked_at.is_(None),
            signings.of_acting_charter(MonitoringReturn.signing_id),
        )
    )
