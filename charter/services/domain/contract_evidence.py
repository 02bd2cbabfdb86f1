"""Contract monitoring as evidence for the Charter Mark: the scheme's rules
``require_confirmed_contract`` and ``require_endorsed_figures``, in one place for the eligibility
check (charter.services.domain.applications) and the "what you still need" checklist
(charter.services.domain.progress), so the two never disagree.

- A confirmed contract is one its commissioner's contract manager has confirmed. Every
  commissioner on the managed list is a public-sector body.
- The endorsed share counts the per-contract figures (not the "not on a listed contract" ones,
  which no commissioner can endorse) on verified returns for periods ending in the assessed
  window: the last completed plan year and the current one. Silence is "not endorsed".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from charter.extensions import db
from charter.models import Contract, ContractFigure, MonitoringReturn, Organisation, ReturnLine
from charter.models.contract import CONTRACT_CONFIRMED
from charter.models.monitoring import FIGURE_ENDORSED, RETURN_VERIFIED
from charter.services.domain.charter_commissioners import counts_for

NO_CONTRACT = "Record at least one contract won from a public-sector commissioner"
NO_CONFIRMED_CONTRACT = (
    "Have at least one contract confirmed by its commissioner: ask the commissioner's contract "
    "manager to confirm the contract you recorded"
)


@dataclass(frozen=True)
class ContractCounts:
    recorded: int
    confirmed: int


@dataclass(frozen=True)
class Endorsement:
    endorsed: int
    total: int

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal(0)
        return (Decimal(self.endorsed) * 100 / self.total).quantize(Decimal("0.1"))


def contract_counts(organisation: Organisation) -> ContractCounts:
    recorded, confirmed = db.session.execute(
        select(
            func.count(Contract.id),
            func.count(case((Contract.confirmation_status == CONTRACT_CONFIRMED, Contract.id))),
        ).where(Contract.organisation_id == organisation.id, counts_for(organisation))
    ).one()
    return ContractCounts(recorded, confirmed)


def endorsement(organisation: Organisation, window) -> Endorsement:
    """Endorsed per-contract figures of verified returns ending in ``window`` (start, end)."""
    if window is None:
        return Endorsement(0, 0)
    endorsed, total = db.session.execute(
        select(
            func.count(case((ContractFigure.endorsement_status == FIGURE_ENDORSED, 1))),
            func.count(ContractFigure.id),
        )
        .join(ReturnLine, ReturnLine.id == ContractFigure.return_line_id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            MonitoringReturn.organisation_id == organisation.id,
            MonitoringReturn.status == RETURN_VERIFIED,
            MonitoringReturn.period_end >= window.start,
            MonitoringReturn.period_end <= window.end,
            ContractFigure.contract_id.is_not(None),
            ContractFigure.value.is_not(None),
        )
    ).one()
    return Endorsement(endorsed, total)


def _endorsement_needed(scheme) -> Decimal:
    return Decimal(scheme.require_endorsed_figures or 0)


def checklist(organisation: Organisation, scheme, window) -> list[tuple[str, bool, str]]:
    """(what, done, detail) for the contract rules the scheme sets."""
    counts = contract_counts(organisation)
    items = [
        (
            "At least one contract won from a public-sector commissioner",
            counts.recorded > 0,
            f"{counts.recorded} recorded",
        )
    ]
    if scheme.require_confirmed_contract:
        items.append(
            (
                "At least one contract confirmed by its commissioner",
                counts.confirmed > 0,
                f"{counts.confirmed} of {counts.recorded} confirmed",
            )
        )
    needed = _endorsement_needed(scheme)
    if needed > 0:
        share = endorsement(organisation, window)
        where = f" {window.label}" if window else ""
        items.append(
            (
                f"At least {needed.normalize():f}% of your per-contract figures endorsed by "
                "the commissioners",
                share.total > 0 and share.percent >= needed,
                f"{share.endorsed} of {share.total} endorsed{where}",
            )
        )
    return items


def missing(organisation: Organisation, scheme, window) -> list[str]:
    """Sentences naming what the contract rules still need; empty if nothing."""
    counts = contract_counts(organisation)
    if counts.recorded == 0:
        return [NO_CONTRACT]
    found = []
    if scheme.require_confirmed_contract and counts.confirmed == 0:
        found.append(NO_CONFIRMED_CONTRACT)
    needed = _endorsement_needed(scheme)
    if needed > 0:
        share = endorsement(organisation, window)
        if share.total == 0 or share.percent < needed:
            where = f" {window.label}" if window else ""
            found.append(
                f"Have at least {needed.normalize():f}% of your per-contract figures endorsed by "
                f"the commissioners: {share.endorsed} of {share.total} are endorsed"
                f"{where} ({share.percent.normalize():f}%)"
            )
    return found
