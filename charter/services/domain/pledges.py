"""Pledges chosen at tender from a charter's toolkit (Worcestershire's Social Value Toolkit,
issue 21): the supplier picks a pledge, puts its number where the pledge has [#], and says how
often it will report the pledge's indicator (the measure's title), from the frequencies the
scheme allows. The pledge becomes one of the contract's commitments (ContractCommitment with
``pledge_numbers`` and ``frequency``), and the indicator is what its returns report.

Pledges are offered on a contract whose commissioner takes part in the charter acting now, when
that charter's scheme has pledges; another contract takes commitments as before
(contracts.add_commitment). A pledge's numbers are its own ("within [#] weeks of contract
start"), not always a target in the indicator's unit, so its commitment has no target_value.

A number is a whole number, or a percentage (to one decimal place, 0 to 100) where the pledge
writes "[#]%": checked by charter.services.domain.units, nothing rounded. Functions add to the
session and never commit.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from charter.extensions import db
from charter.models import Contract, ContractCommitment, Measure, Organisation, Scheme
from charter.services.domain import pledge_periods, signings
from charter.services.domain.charter_commissioners import taking_part
from charter.services.domain.contracts import (
    ContractRefused,
    commitment_for,
    commitments_of,
    duplicate_commitment_message,
    require_recording,
)
from charter.services.domain.periods import Period
from charter.services.domain.units import unit_of

SLOT = "[#]"
_SLOT_WITH_PERCENT = re.compile(r"\[#\]\s?%")
FREQUENCY_LABELS = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "half-yearly": "Every six months",
    "annually": "Once a year",
}


def slot_units(pledge: str) -> list[str]:
    """The unit of each [#] in the pledge, in order: "percent" where it is written "[#]%",
    otherwise "count" (a number of staff, days, weeks, sessions)."""
    units = []
    for match in re.finditer(re.escape(SLOT), pledge):
        follows = pledge[match.start() :]
        units.append("percent" if _SLOT_WITH_PERCENT.match(follows) else "count")
    return units


def filled(pledge: str, numbers: list[str] | None) -> str:
    """The pledge with the supplier's numbers in place of its [#], in order."""
    for number in numbers or []:
        pledge = pledge.replace(SLOT, number, 1)
    return pledge


def pledge_text(commitment: ContractCommitment) -> str | None:
    """A pledge commitment's pledge as the supplier made it; None for another commitment."""
    if commitment.pledge_numbers is None or not commitment.measure.pledge:
        return None
    return filled(commitment.measure.pledge, commitment.pledge_numbers)


def as_typed(value: Decimal) -> str:
    """A number as a person writes it: 4, 12.5 (never 4.00)."""
    return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"


def pledges_of(organisation: Organisation) -> list[Measure]:
    """The toolkit's pledges in the scheme of the signing acting now, in the scheme's order,
    with their themes: one query."""
    scheme_id = signings.scheme_id_of(organisation)
    if scheme_id is None:
        return []
    return list(
        db.session.scalars(
            select(Measure)
            .options(joinedload(Measure.theme))
            .where(Measure.scheme_id == scheme_id, Measure.pledge.is_not(None))
            .order_by(Measure.position)
        )
    )


def offers_pledges(organisation: Organisation, contract: Contract) -> bool:
    """Whether the contract takes pledges: its commissioner takes part in the charter acting
    now, and that charter's scheme has a toolkit of pledges."""
    signing = signings.signing_of(organisation)
    if signing is None or contract.commissioner_id not in taking_part(signing.charter_id):
        return False
    return (
        db.session.scalar(
            select(Measure.id)
            .where(Measure.scheme_id == signing.scheme_id, Measure.pledge.is_not(None))
            .limit(1)
        )
        is not None
    )


def pledged_codes(contract: Contract) -> set[str]:
    return set(
        db.session.scalars(
            select(Measure.code)
            .join(ContractCommitment, ContractCommitment.measure_id == Measure.id)
            .where(ContractCommitment.contract_id == contract.id)
        )
    )


def make_pledge(
    organisation: Organisation,
    contract: Contract,
    measure: Measure,
    *,
    numbers: list[Decimal],
    frequency: str,
    notes: str | None,
) -> ContractCommitment:
    """The supplier's pledge on the contract; ContractRefused (naming the field) for what
    cannot be saved, checked here whoever calls."""
    require_recording(organisation)
    if not measure.pledge or measure.scheme_id != signings.scheme_id_of(organisation):
        raise ContractRefused("Choose a pledge from the toolkit", "measure")
    if not offers_pledges(organisation, contract):
        raise ContractRefused(
            "This contract’s commissioner does not take part in this charter, so its "
            "toolkit’s pledges cannot be made on it",
            "measure",
        )
    units = slot_units(measure.pledge)
    if len(numbers) != len(units):
        raise ContractRefused("Enter a number for each [#] in the pledge", "number_0")
    for index, (number, unit) in enumerate(zip(numbers, units, strict=True)):
        limit = unit_of(unit)
        if number < 0 or number > limit.maximum or number != number.quantize(limit.step):
            raise ContractRefused(
                f"Enter the number as {limit.what} from 0 to {limit.written(limit.maximum)}",
                f"number_{index}",
            )
    if frequency not in (measure.frequencies or []):
        raise ContractRefused("Select how often you will report this pledge", "frequency")
    if commitment_for(contract, measure) is not None:
        raise ContractRefused(duplicate_commitment_message(measure), "measure")
    commitment = ContractCommitment(
        contract_id=contract.id,
        measure_id=measure.id,
        target_value=None,
        pledge_numbers=[as_typed(n) for n in numbers],
        frequency=frequency,
        notes=notes or None,
    )
    db.session.add(commitment)
    return commitment


def next_due_of(contract: Contract, today: date | None = None) -> dict[int, tuple[Period, date]]:
    """For each pledge on the contract still running: the period its next figure covers and
    the date the return asking for it is due (charter.services.domain.pledge_periods), by
    commitment id."""
    today = today or date.today()
    if contract.end_date < today:
        return {}
    out = {}
    for commitment in commitments_of(contract):
        if commitment.frequency is None or commitment.substituted_at is not None:
            continue
        scheme = db.session.get(Scheme, commitment.measure.scheme_id)
        out[commitment.id] = pledge_periods.next_due(
            commitment.frequency, scheme.monitoring_period_months, scheme.return_due_days, today
        )
    return out
