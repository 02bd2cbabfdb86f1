"""Contracts with commitments and verified per-contract figures, for the commitments tests and
the query-count tests of the pages that show them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from charter.extensions import db
from charter.models import ContractCommitment, ContractFigure, MonitoringReturn, ReturnLine
from tests.factories import make_approved_plan, make_commissioner, make_contract, signing_id_for

TARGETS = {"LE1": ("0", "100000"), "LE4": ("0", "5"), "LE9": ("80", "95")}


def quarters(count: int, first: date = date(2026, 4, 1)) -> list[tuple[date, date]]:
    found, start = [], first
    for _ in range(count):
        month = start.month + 3
        following = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        found.append((start, following - timedelta(days=1)))
        start = following
    return found


def history(organisation, scheme, *, contracts: int, periods: int, status="verified"):
    """An approved plan (1 April 2026), ``contracts`` confirmed contracts each committing
    £100,000 local spend (LE1), 5 local FTE (LE4) and 95% prompt payment (LE9, reported for the
    whole organisation), and ``periods`` quarterly returns from April 2026 in which every
    contract delivered £10,000 and 2 + quarter/10 FTE."""
    from datetime import datetime

    measures = make_approved_plan(
        organisation, scheme, TARGETS, decided_at=datetime(2026, 4, 1, 9, 0)
    )
    council = make_commissioner(f"Council for {organisation.slug}")
    made = []
    for n in range(contracts):
        contract = make_contract(
            organisation,
            council,
            title=f"Contract {n + 1}",
            start_date=date(2026, 4, 1),
            end_date=date(2028, 3, 31),
            confirmation_status="confirmed",
        )
        for code, target in (("LE1", "100000"), ("LE4", "5"), ("LE9", "95")):
            db.session.add(
                ContractCommitment(
                    contract_id=contract.id,
                    measure_id=measures[code].id,
                    target_value=Decimal(target),
                )
            )
        made.append(contract)
    for index, (start, end) in enumerate(quarters(periods)):
        monitoring_return = MonitoringReturn(
            organisation_id=organisation.id,
            signing_id=signing_id_for(organisation.id),
            period_start=start,
            period_end=end,
            due_date=end + timedelta(days=30),
            status=status,
        )
        fte = Decimal(2) + Decimal(index) / 10
        lines = {
            "LE1": ReturnLine(measure_id=measures["LE1"].id, actual_value=10_000 * contracts),
            "LE4": ReturnLine(measure_id=measures["LE4"].id, actual_value=fte * contracts),
            "LE9": ReturnLine(measure_id=measures["LE9"].id, actual_value=Decimal(90)),
        }
        monitoring_return.lines = list(lines.values())
        db.session.add(monitoring_return)
        db.session.flush()
        for contract in made:
            db.session.add_all(
                [
                    ContractFigure(
                        return_line_id=lines["LE1"].id, contract_id=contract.id, value=10_000
                    ),
                    ContractFigure(
                        return_line_id=lines["LE4"].id, contract_id=contract.id, value=fte
                    ),
                ]
            )
    db.session.commit()
    return made
