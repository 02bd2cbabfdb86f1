"""Plausibility: figures out of line are flagged, explained and checked before they count.

A return with £999,999,999,999 of local spend on a £37,000 contract was accepted and announced
on /impact. Each figure is now compared, when it is saved, with what the organisation could
plausibly have delivered (thresholds from the scheme file's [plausibility] table):

- a per-contract money figure above the contract's value for the period: the value pro rata by
  the days of the period within the contract's term (``contract_share`` percent of it, 100 by
  default);
- FTE above the upper bound of the organisation's size band (a small organisation has fewer
  than 50 employees, so at most 49 FTE);
- a figure more than ``median_multiple`` (10) times the organisation's median for the measure
  in its earlier verified returns.

A flagged line keeps its reasons on the row. The organisation gives an explanation before the
return can be sent; the assessor and the commissioner's contract manager see the reasons and the
explanation beside the figure; and the figure counts (``counts``, used by /impact, reports,
progress and the award rule) only once an assessor has said they checked it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select

from charter.extensions import db
from charter.formatting import format_amount, format_period
from charter.models import (
    AuditEvent,
    Contract,
    MonitoringReturn,
    Organisation,
    ReturnLine,
    Scheme,
    User,
)
from charter.models.base import utcnow
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.scheme import PAIR
from charter.services.domain.periods import days_overlapping
from charter.services.domain.pledge_periods import covers_of
from workflows.lifecycle import TransitionRefused

# The largest number of employees in each size band (charter.models.organisation); "large"
# has no upper bound.
SIZE_BAND_MOST_EMPLOYEES = {"micro": 9, "small": 49, "medium": 249}


@dataclass(frozen=True)
class Thresholds:
    contract_share: Decimal = Decimal(100)
    size_band: bool = True
    median_multiple: Decimal = Decimal(10)

    @classmethod
    def of(cls, scheme: Scheme | None) -> Thresholds:
        if scheme is None:
            return cls()
        return cls(
            Decimal(scheme.plausibility_contract_share),
            bool(scheme.plausibility_size_band),
            Decimal(scheme.plausibility_median_multiple),
        )


def counts():
    """The one predicate for "this line's figure counts" in totals, reports and the award
    rule: its return is verified, and it is not flagged or an assessor has checked it. For a
    query joining ReturnLine and MonitoringReturn."""
    return and_(
        MonitoringReturn.status == RETURN_VERIFIED,
        or_(ReturnLine.flag_reasons.is_(None), ReturnLine.flag_checked_at.is_not(None)),
    )


def contract_value_for_period(contract: Contract, start, end) -> Decimal:
    """The contract's value pro rata by the days of the period within its term."""
    term = (contract.end_date - contract.start_date).days + 1
    shared = days_overlapping(start, end, contract.start_date, contract.end_date)
    if term <= 0:
        return Decimal(0)
    return (Decimal(contract.value) * shared / term).quantize(Decimal("0.01"))


def _contract_reasons(covers, figures, thresholds: Thresholds) -> list[str]:
    """``covers``: the period the figures cover (a pledge's year, in its last quarter's
    return: the contract's value for the year)."""
    reasons = []
    for contract, value in figures:
        if contract is None or value is None:
            continue
        share = contract_value_for_period(contract, covers.start, covers.end)
        limit = share * thresholds.contract_share / 100
        if value > limit:
            reasons.append(
                f"{format_amount(value, 'GBP')} for {contract.title} is more than the "
                f"contract's value for the period ({format_amount(share, 'GBP')}: "
                f"{format_amount(contract.value, 'GBP')} pro rata)"
            )
    return reasons


def _size_reason(organisation: Organisation, total: Decimal) -> str | None:
    most = SIZE_BAND_MOST_EMPLOYEES.get(organisation.size)
    if most is None or total <= most:
        return None
    return (
        f"{format_amount(total, 'FTE')} is more than an organisation of its size "
        f"({organisation.size_label.lower()}) can employ"
    )


def earlier_median(
    line: ReturnLine, monitoring_return: MonitoringReturn, *, second: bool = False
) -> Decimal | None:
    """The organisation's median figure for the measure in its earlier verified returns (a
    pair's second figure's with ``second``)."""
    column = ReturnLine.second_value if second else ReturnLine.actual_value
    earlier = list(
        db.session.scalars(
            select(column)
            .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
            .where(
                MonitoringReturn.organisation_id == monitoring_return.organisation_id,
                MonitoringReturn.period_end < covers_of(line, monitoring_return).start,
                MonitoringReturn.status == RETURN_VERIFIED,
                ReturnLine.measure_id == line.measure_id,
                column.is_not(None),
            )
        )
    )
    return Decimal(statistics.median(earlier)) if earlier else None


def reasons_for(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    figures: list[tuple[Contract | None, Decimal | None]] = (),
) -> list[str]:
    """Why the line's figure (``line.actual_value``, and per contract ``figures``) is out of
    line; empty when it is not."""
    if line.actual_value is None:
        return []
    organisation = db.session.get(Organisation, monitoring_return.organisation_id)
    scheme = db.session.get(Scheme, line.measure.scheme_id)
    thresholds = Thresholds.of(scheme)
    unit = line.measure.unit
    reasons = []
    if unit == "GBP" and line.measure.is_per_contract:
        reasons += _contract_reasons(covers_of(line, monitoring_return), figures, thresholds)
    if unit == "FTE" and thresholds.size_band:
        reason = _size_reason(organisation, line.actual_value)
        if reason:
            reasons.append(reason)
    median = earlier_median(line, monitoring_return)
    if median and line.actual_value > median * thresholds.median_multiple:
        reasons.append(
            f"{format_amount(line.actual_value, unit)} is more than "
            f"{format_amount(thresholds.median_multiple, 'count')} times the organisation's "
            f"usual figure ({format_amount(median, unit)}, the median of its earlier returns)"
        )
    reasons += _second_reasons(line, monitoring_return, thresholds)
    return reasons


def _second_reasons(line: ReturnLine, monitoring_return, thresholds: Thresholds) -> list[str]:
    """A pair's second figure against the organisation's usual one, the same rule as the
    first's (issue 21): "Total attendance: 9,000 is more than 10 times ..."."""
    parts = line.measure.parts if line.measure.unit == PAIR else None
    if not parts or line.second_value is None:
        return []
    median = earlier_median(line, monitoring_return, second=True)
    if not median or line.second_value <= median * thresholds.median_multiple:
        return []
    label, unit = parts[1]["label"], parts[1]["unit"]
    return [
        f"{label}: {format_amount(line.second_value, unit)} is more than "
        f"{format_amount(thresholds.median_multiple, 'count')} times the organisation's "
        f"usual figure ({format_amount(median, unit)}, the median of its earlier returns)"
    ]


def refresh(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    figures: list[tuple[Contract | None, Decimal | None]] = (),
) -> None:
    """Set the line's flags from its figures, as it is saved. Changed reasons need a fresh
    check from the assessor; the explanation stays for the organisation to revise."""
    reasons = reasons_for(monitoring_return, line, figures) or None
    if reasons != line.flag_reasons:
        line.flag_reasons = reasons
        line.flag_checked_at = None
        line.flag_checked_by_id = None


def needs_explanation(line: ReturnLine) -> bool:
    return line.is_flagged and not (line.flag_explanation or "").strip()


def mark_checked(line: ReturnLine, monitoring_return: MonitoringReturn, assessor: User) -> None:
    """The assessor has checked a flagged figure against its evidence: it counts from now.
    Recorded in the organisation's audit trail."""
    if not line.is_flagged:
        raise TransitionRefused(f"{line.measure.code} is not flagged.")
    if line.flag_checked_at is not None:
        return
    line.flag_checked_at = utcnow()
    line.flag_checked_by_id = assessor.id
    db.session.add(
        AuditEvent(
            organisation_id=monitoring_return.organisation_id,
            signing_id=monitoring_return.signing_id,
            actor_id=assessor.id,
            actor_label=assessor.full_name,
            trigger="figure_checked",
            from_state="flagged",
            to_state="checked",
            reason=(
                f"{line.measure.code} in the return for "
                f"{format_period(monitoring_return.period_start, monitoring_return.period_end)}: "
                + "; ".join(line.flag_reasons)
            )[:2000],
        )
    )


def flag_state(line: ReturnLine) -> str:
    """Where a flagged figure stands, as the administrators' list says it."""
    if line.flag_checked_at is not None:
        return "Checked by an assessor"
    if not (line.flag_explanation or "").strip():
        return "Waiting for an explanation"
    return "Waiting for an assessor’s check"
