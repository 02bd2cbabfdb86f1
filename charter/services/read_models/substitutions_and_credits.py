"""What was substituted and credited on contracts (issue 21, Cheshire West and Chester's Social
Value Policy: "reports show committed, delivered, substituted and credited"): each alternative
a contract manager accepted, with the commitment it replaced (both stay on the record) and the
values the decision was made on (target times the proxy value in force that day,
``commitment_alternatives.valuation``); and each service credit recorded, with its amount,
reason and period. The one read of them for reports: the contract managers' report (page,
CSV and Excel) and the credited totals of the administrators' contract social value report.

In a period: an alternative by the day it was accepted, a credit by the last day of the period
it is for (as a figure counts in the period in which its monitoring period ends). One query
each whatever the number of contracts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import CommitmentAlternative, ContractCommitment, Measure, ServiceCredit
from charter.models.contract_social_value import ALTERNATIVE_ACCEPTED
from charter.services.read_models.impact.periods import ALL_TIME, ImpactPeriod


@dataclass
class SubstitutionsAndCredits:
    """Accepted alternatives and credits by contract id, in the report's order of contracts."""

    substituted: dict[int, list[CommitmentAlternative]] = field(default_factory=dict)
    credits: dict[int, list[ServiceCredit]] = field(default_factory=dict)

    @property
    def credited(self) -> Decimal:
        return sum((c.amount for found in self.credits.values() for c in found), Decimal(0))

    @property
    def is_empty(self) -> bool:
        return not self.substituted and not self.credits


def _by_contract(items: Iterable, order: list[int]) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for item in items:
        found[item.contract_id].append(item)
    return {contract_id: found[contract_id] for contract_id in order if contract_id in found}


def accepted(
    contract_ids: list[int], period: ImpactPeriod = ALL_TIME, measure_code: str | None = None
) -> dict[int, list[CommitmentAlternative]]:
    """The alternatives accepted on the contracts in the period, each with the commitment it
    replaced and both measures; narrowed to a measure, those where either side is it."""
    if not contract_ids:
        return {}
    query = (
        select(CommitmentAlternative)
        .options(
            joinedload(CommitmentAlternative.measure),
            joinedload(CommitmentAlternative.original).joinedload(ContractCommitment.measure),
        )
        .where(
            CommitmentAlternative.contract_id.in_(contract_ids),
            CommitmentAlternative.status == ALTERNATIVE_ACCEPTED,
        )
        .order_by(CommitmentAlternative.decided_at, CommitmentAlternative.id)
    )
    if period.start is not None:
        query = query.where(
            CommitmentAlternative.decided_at >= datetime.combine(period.start, time.min),
            CommitmentAlternative.decided_at
            < datetime.combine(period.end + timedelta(days=1), time.min),
        )
    if measure_code is not None:
        either = select(Measure.id).where(Measure.code == measure_code)
        query = query.where(
            or_(
                CommitmentAlternative.measure_id.in_(either),
                CommitmentAlternative.original_id.in_(
                    select(ContractCommitment.id).where(ContractCommitment.measure_id.in_(either))
                ),
            )
        )
    return _by_contract(db.session.scalars(query).unique(), contract_ids)


def _credits_in(period: ImpactPeriod):
    if period.start is None:
        return ()
    return (ServiceCredit.period_end >= period.start, ServiceCredit.period_end <= period.end)


def credits(
    contract_ids: list[int], period: ImpactPeriod = ALL_TIME
) -> dict[int, list[ServiceCredit]]:
    """The credits recorded against the contracts for the period, oldest period first."""
    if not contract_ids:
        return {}
    query = (
        select(ServiceCredit)
        .where(ServiceCredit.contract_id.in_(contract_ids), *_credits_in(period))
        .order_by(ServiceCredit.period_start, ServiceCredit.id)
    )
    return _by_contract(db.session.scalars(query), contract_ids)


def credited_totals(contract_ids: list[int], period: ImpactPeriod = ALL_TIME) -> dict[int, Decimal]:
    """Each contract's credits added up, for a report's row per contract."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    if contract_ids:
        for contract_id, total in db.session.execute(
            select(ServiceCredit.contract_id, func.sum(ServiceCredit.amount))
            .where(ServiceCredit.contract_id.in_(contract_ids), *_credits_in(period))
            .group_by(ServiceCredit.contract_id)
        ):
            totals[contract_id] = Decimal(total)
    return totals


def for_report(
    contract_ids: list[int], period: ImpactPeriod, measure_code: str | None = None
) -> SubstitutionsAndCredits:
    """Both, for a report of the contracts in that order: two queries."""
    return SubstitutionsAndCredits(
        accepted(contract_ids, period, measure_code), credits(contract_ids, period)
    )


# --- the downloads' columns, after a report's own columns naming the contract -----------------

SUBSTITUTION_HEADINGS = [
    "Replaced measure",
    "Replaced measure title",
    "Replaced target",
    "Replaced unit",
    "Replaced value (£)",
    "Alternative measure",
    "Alternative measure title",
    "Alternative target",
    "Alternative unit",
    "Alternative value (£)",
    "Accepted on",
    "Reason",
]
CREDIT_HEADINGS = ["Amount (£)", "Period from", "Period to", "Reason"]


def substitution_columns(alternative: CommitmentAlternative) -> list:
    original = alternative.original
    decided = alternative.decided_at
    return [
        original.measure.code,
        original.measure.title,
        original.target_value,
        original.measure.unit_label,
        alternative.original_value,
        alternative.measure.code,
        alternative.measure.title,
        alternative.target_value,
        alternative.measure.unit_label,
        alternative.alternative_value,
        decided.date().isoformat() if decided else None,
        alternative.reason,
    ]


def credit_columns(credit: ServiceCredit) -> list:
    return [
        credit.amount,
        credit.period_start.isoformat(),
        credit.period_end.isoformat(),
        credit.reason,
    ]
