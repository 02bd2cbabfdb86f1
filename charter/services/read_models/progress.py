"""Progress towards targets and the Charter Mark checklist, for the organisation dashboard and
(later) the assessment.

Only verified returns count: an organisation's own unverified figures are shown as such but do
not move it towards the Charter Mark. Flows (money, weeks, hours, counts) add up across periods;
stocks (FTE in post, percentages) take the latest verified period, since adding up a quarterly
percentage or headcount would be meaningless.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
    Scheme,
)
from charter.models.monitoring import RETURN_VERIFIED
from charter.services.domain.contracts import contract_summary
from charter.services.domain.plans import approved_plan

LATEST_VALUE_UNITS = frozenset({"percent", "FTE"})


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    baseline: Decimal
    target_value: Decimal
    target_date: object
    achieved: Decimal  # cumulative, or latest for stock measures
    periods: int  # verified periods counted

    @property
    def is_cumulative(self) -> bool:
        return self.measure.unit not in LATEST_VALUE_UNITS

    @property
    def is_met(self) -> bool:
        return self.periods > 0 and self.achieved >= self.target_value

    @property
    def social_value(self) -> Decimal | None:
        """Achieved × the scheme's proxy value; None where the scheme sets no proxy."""
        if self.measure.proxy_value is None:
            return None
        return (self.achieved * self.measure.proxy_value).quantize(Decimal("0.01"))

    @property
    def percent_of_target(self) -> int:
        if self.target_value <= 0:
            return 100 if self.periods else 0
        return int(self.achieved * 100 / self.target_value)


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    done: bool
    detail: str


def measure_progress(organisation: Organisation) -> list[MeasureProgress]:
    """Each target of the approved plan against what verified returns show. Three queries."""
    plan = approved_plan(organisation)
    if plan is None:
        return []
    rows = db.session.execute(
        select(PlanTarget, Measure)
        .join(Measure, Measure.id == PlanTarget.measure_id)
        .where(PlanTarget.plan_id == plan.id)
        .order_by(Measure.position)
    ).all()
    verified = db.session.execute(
        select(ReturnLine.measure_id, ReturnLine.actual_value, MonitoringReturn.period_end)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status == RETURN_VERIFIED,
            ReturnLine.actual_value.is_not(None),
        )
        .order_by(MonitoringReturn.period_end)
    ).all()
    by_measure: dict[int, list[Decimal]] = {}
    for measure_id, value, _period_end in verified:
        by_measure.setdefault(measure_id, []).append(value)

    progress = []
    for target, measure in rows:
        values = by_measure.get(measure.id, [])
        if measure.unit in LATEST_VALUE_UNITS:
            achieved = values[-1] if values else Decimal(0)
        else:
            achieved = sum(values, Decimal(0))
        progress.append(
            MeasureProgress(
                measure=measure,
                baseline=target.baseline,
                target_value=target.target_value,
                target_date=target.target_date,
                achieved=achieved,
                periods=len(values),
            )
        )
    return progress


def social_value_total(progress: list[MeasureProgress]) -> Decimal | None:
    """The monetised total, or None when no measure has a proxy value."""
    values = [p.social_value for p in progress if p.social_value is not None]
    return sum(values, Decimal(0)) if values else None


def verified_return_count(organisation: Organisation) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(MonitoringReturn)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status == RETURN_VERIFIED,
        )
    )


def charter_mark_checklist(
    organisation: Organisation, scheme: Scheme, progress: list[MeasureProgress]
) -> list[ChecklistItem]:
    """What the organisation still needs before it can apply, from the scheme's rules."""
    contracts, _total = contract_summary(organisation)
    verified = verified_return_count(organisation)
    needed = scheme.min_verified_returns
    core = [p for p in progress if p.measure.is_core]
    core_met = sum(1 for p in core if p.is_met)
    met = sum(1 for p in progress if p.is_met)
    share = int(met * 100 / len(progress)) if progress else 0
    minimum_share = int(scheme.award_min_share_met)
    items = [
        ChecklistItem(
            "At least one contract won from a public-sector commissioner",
            contracts > 0,
            f"{contracts} recorded",
        ),
        ChecklistItem(
            f"At least {needed} verified monitoring return{'s' if needed != 1 else ''}",
            verified >= needed,
            f"{verified} verified",
        ),
    ]
    if scheme.award_all_core_met:
        items.append(
            ChecklistItem(
                "Every core measure's target met",
                bool(core) and core_met == len(core),
                f"{core_met} of {len(core)} met",
            )
        )
    items.append(
        ChecklistItem(
            f"At least {minimum_share}% of all targets met",
            bool(progress) and share >= minimum_share,
            f"{met} of {len(progress)} met ({share}%)",
        )
    )
    return items
