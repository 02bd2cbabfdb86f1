"""When a pledge's figures are due: the frequency the supplier chose for it decides which
returns ask for it and what period its figure covers (issue 21).

A return covers one of the charter's monitoring periods (a quarter for Worcestershire). A pledge
reported at a longer frequency (once a year) is asked for only in the return whose period ends
its own calendar-aligned block of that length (the year's last quarter, October to December),
and its figure covers the whole block (January to December): the line records where that block
starts (ReturnLine.covers_start) and ends with its return. A pledge reported at a shorter
frequency than the charter's periods (monthly under quarterly returns) is asked for in every
return, its months' figures added up into the return's period: where two periods differ, the
shorter one's figures are summed into the longer (issue 20's rule). Blocks are those of
charter.services.domain.periods, the one implementation of periods, so a pledge's year is a
calendar year as a quarterly return's quarter is a calendar quarter.

An organisation may make the same pledge on two contracts at two frequencies: the shorter one
decides, and the longer one's figures are the sum of its returns. A return asks for a measure
its plan names in every return unless the organisation pledged it, when its pledges decide; a
pledge counts for a return when its contract (whose commissioner takes part in the signing's
charter) runs in the period the figure covers, and has not been substituted by an alternative.
The due date of a return, and so its reminders, is that of the return a pledge's figure is in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, select

from charter.extensions import db
from charter.models import (
    ActionPlan,
    Contract,
    ContractCommitment,
    Measure,
    MonitoringReturn,
    ReturnLine,
    Signing,
)
from charter.models.contract import CharterCommissioner
from charter.services.domain import periods
from charter.services.infrastructure.bulk_insert import among

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "annually": 12}
# How a figure's period reads beside the frequency ("reported once a year").
FREQUENCY_PHRASES = {
    "monthly": "reported monthly, added up for the return",
    "quarterly": "reported quarterly",
    "half-yearly": "reported every six months",
    "annually": "reported once a year",
}


def months_of(frequency: str | None, period_months: int) -> int:
    """The months a pledge's figure covers: its frequency's, or the return's where that is
    longer (a shorter frequency's figures are added up into the return's period)."""
    return max(FREQUENCY_MONTHS.get(frequency or "", period_months), period_months)


def covered(period: periods.Period, months: int) -> periods.Period | None:
    """The period a figure reported every ``months`` covers in the return for ``period``, or
    None when that return does not ask for it (its block does not end in ``period``)."""
    block = periods.period_containing(period.start, months)
    if block.end > period.end:
        return None
    return periods.Period(block.start, period.end)


@dataclass(frozen=True)
class Pledged:
    """One pledge an organisation made, as the returns read it."""

    measure_id: int
    position: int
    frequency: str | None
    contract_start: date
    contract_end: date


def pledged_by_plan(plan_ids) -> dict[int, list[Pledged]]:
    """The pledges of each plan's signing (by plan id): the commitments with a frequency on the
    organisation's contracts whose commissioner takes part in the signing's charter, to
    measures of the plan's scheme, not substituted. One query."""
    taking_part = exists().where(
        CharterCommissioner.charter_id == Signing.charter_id,
        CharterCommissioner.commissioner_id == Contract.commissioner_id,
    )
    rows = db.session.execute(
        select(
            ActionPlan.id,
            ContractCommitment.measure_id,
            Measure.position,
            ContractCommitment.frequency,
            Contract.start_date,
            Contract.end_date,
        )
        .join(Signing, Signing.id == ActionPlan.signing_id)
        .join(Contract, Contract.organisation_id == Signing.organisation_id)
        .join(ContractCommitment, ContractCommitment.contract_id == Contract.id)
        .join(
            Measure,
            and_(
                Measure.id == ContractCommitment.measure_id,
                Measure.scheme_id == ActionPlan.scheme_id,
            ),
        )
        .where(
            among(ActionPlan.id, list(plan_ids)),
            ContractCommitment.frequency.is_not(None),
            ContractCommitment.substituted_at.is_(None),
            taking_part,
        )
    )
    out: dict[int, list[Pledged]] = defaultdict(list)
    for plan_id, *rest in rows:
        out[plan_id].append(Pledged(*rest))
    return out


def lines_due(
    planned: list[tuple[int, int]],
    pledged: list[Pledged],
    period: periods.Period,
    period_months: int,
) -> list[tuple[int, date | None]]:
    """The lines a return for ``period`` asks for, in the scheme's order: (measure id, the
    first day of the period its figure covers where that is not the return's, else None).
    ``planned`` is the plan's (measure id, position): every return asks for those the
    organisation did not pledge."""
    months: dict[int, int] = {}
    position: dict[int, int] = dict(planned)
    for pledge in pledged:
        m = months_of(pledge.frequency, period_months)
        block = periods.period_containing(period.start, m)
        if pledge.contract_start > block.end or pledge.contract_end < block.start:
            continue  # its contract does not run then: the pledge asks nothing of this return
        if covered(period, m) is None:
            months.setdefault(pledge.measure_id, 0)  # pledged, due in a later return
            continue
        position[pledge.measure_id] = pledge.position
        months[pledge.measure_id] = min(months.get(pledge.measure_id) or m, m)
    due = []
    for measure_id, _ in sorted(position.items(), key=lambda item: item[1]):
        if measure_id not in months:
            due.append((measure_id, None))
        elif months[measure_id]:
            span = covered(period, months[measure_id])
            due.append((measure_id, None if span.start == period.start else span.start))
    return due


def covers_start(line=ReturnLine, monitoring_return=MonitoringReturn):
    """SQL: the first day of the period a return line's figure covers: its ``covers_start``
    (a yearly pledge's January in the return of its last quarter), else its return's start.
    It ends with its return (``period_end``). The one expression every query dating a figure
    uses (commitments delivered, counted figures, the combined figures); ``covers_of`` is the
    same rule on loaded rows. ``line`` and ``monitoring_return`` may be aliases."""
    return func.coalesce(line.covers_start, monitoring_return.period_start)


def covers_of(line, monitoring_return) -> periods.Period:
    """The period a return line's figure covers: its return's, or from ``covers_start`` (the
    rule of ``covers_start`` on a loaded line and return)."""
    return periods.Period(
        line.covers_start or monitoring_return.period_start, monitoring_return.period_end
    )


def covers_label(line, monitoring_return) -> str | None:
    """ "1 January to 31 December 2026" where the line covers more than its return's period;
    None where it covers the return's."""
    if line.covers_start is None or line.covers_start == monitoring_return.period_start:
        return None
    return covers_of(line, monitoring_return).label


def next_due(
    frequency: str | None, period_months: int, return_due_days: int, today: date
) -> tuple[periods.Period, date]:
    """The next period a pledge's figure covers that has not ended by ``today`` (or ends
    today), and the date the return holding it is due."""
    months = months_of(frequency, period_months)
    block = periods.period_containing(today, months)
    return block, periods.due_date(block.end, return_due_days)
