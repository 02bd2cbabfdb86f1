"""Worcestershire's real scheme file for the pledge and value-kind tests: the charter loaded
beside Shropshire's (the default), a supplier that signed it alone, in monitoring, and a
commissioner taking part in it.

The supplier's signing is put in monitoring directly, with an approved plan naming the measures
its returns report: signing Worcestershire's charter through the pages stops at "signatory"
while the plan guard asks for a core measure, which this toolkit has none of (the lead's part).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    ActionPlan,
    Charter,
    ContractFigure,
    Measure,
    MonitoringReturn,
    PlanTarget,
    ReturnLine,
)
from charter.models.base import utcnow
from charter.services.domain import periods, signings
from charter.services.domain.schemes import load_scheme_file
from charter.services.domain.signings import signing_of
from tests.factories import make_commissioner, make_organisation, signing_id_for

SCHEMES = Path(__file__).resolve().parents[2] / "schemes"
WORCESTERSHIRE = "worcestershire"


def load_worcestershire():
    loaded = load_scheme_file(SCHEMES / "worcestershire.toml").scheme
    db.session.commit()
    return loaded


def worcestershire_supplier(owner, scheme, status="signatory"):
    """An organisation in Worcester whose one signing is of Worcestershire's charter."""
    organisation = make_organisation(
        owner=owner, scheme=scheme, status=status, district="Worcester", town="Worcester"
    )
    signing_of(organisation).route = "working_towards"
    db.session.commit()
    return organisation


def worcestershire_council(scheme):
    return make_commissioner(
        "Worcestershire County Council",
        org_id="GB-LAE-WOC",
        charter=db.session.get(Charter, scheme.charter_id),
    )


def measures_of(scheme) -> dict[str, Measure]:
    return {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }


def monitor(organisation, scheme, codes, *, decided_at=None) -> ActionPlan:
    """The signing in monitoring, its plan approved naming ``codes`` (what returns report)."""
    organisation.status = "monitoring"
    decided_at = decided_at or utcnow()
    measures = measures_of(scheme)
    plan = ActionPlan(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        revision=1,
        status="approved",
        submitted_at=decided_at - timedelta(days=7),
        decided_at=decided_at,
    )
    plan.targets = [
        PlanTarget(
            measure_id=measures[code].id,
            baseline=0,
            target_value=1,
            target_date=decided_at.date() + timedelta(days=400),
            approach="As pledged at tender.",
        )
        for code in codes
    ]
    db.session.add(plan)
    db.session.commit()
    return plan


def url(organisation, rest: str = "") -> str:
    return f"/organisations/{organisation.slug}{rest}?charter={WORCESTERSHIRE}"


def returned(organisation, scheme, contract, days_ago: int, status: str, figures: dict) -> None:
    """A return for the quarter ended ``days_ago`` with its lines."""
    period = periods.period_containing(date.today() - timedelta(days=days_ago), 3)
    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        signing_id=signings.signing_id_of(organisation),
        period_start=period.start,
        period_end=period.end,
        due_date=period.end + timedelta(days=30),
        status=status,
    )
    for code, columns in figures.items():
        per_contract = columns.pop("contract", None)
        line = ReturnLine(measure_id=measures[code].id, narrative="Done", **columns)
        if per_contract:
            line.figures = [
                ContractFigure(
                    contract_id=contract.id, value=per_contract[0], second_value=per_contract[1]
                )
            ]
        monitoring_return.lines.append(line)
    db.session.add(monitoring_return)
    db.session.commit()


# A supplier's pledges of every kind of value on one contract, and its returns (issue 21): what
# the contract reports of the administrators and of the contract managers show.
REPORT_PLEDGES = (
    ("CD2", {"number_0": "4", "frequency": "quarterly"}),  # a count, per contract
    ("EE1", {"number_0": "40", "frequency": "annually"}),  # a percentage, the organisation's
    ("EE3", {"number_0": "2", "frequency": "quarterly"}),  # a pair, per contract
    ("DI3", {"number_0": "6", "frequency": "annually"}),  # a pair, the organisation's
    ("DI2", {"frequency": "annually"}),  # an achievement, the organisation's
)
ACHIEVED_ON = date.today() - timedelta(days=200)


def pledged_contract(client_request, supplier, worcestershire, county):
    """A confirmed contract with REPORT_PLEDGES, two verified quarters of figures (400 and 300
    days ago), a verified achievement (180) and a sent return not verified yet (90) whose
    figures must count nowhere."""
    from charter.models.contract import CONTRACT_CONFIRMED
    from tests.factories import make_contract

    contract = make_contract(
        supplier,
        county,
        title="Library services",
        reference="WCC-LIB",
        start_date=date.today() - timedelta(days=700),
        end_date=date.today() + timedelta(days=300),
    )
    for code, data in REPORT_PLEDGES:
        client_request.post(
            "organisation.make_pledge",
            slug=supplier.slug,
            contract_id=contract.id,
            measure_code=code,
            charter=WORCESTERSHIRE,
            _data=data,
        )
    contract.confirmation_status = CONTRACT_CONFIRMED
    db.session.commit()
    for days_ago, local in ((400, "35"), (300, "42")):
        returned(
            supplier,
            worcestershire,
            contract,
            days_ago,
            "verified",
            {
                "CD2": {"actual_value": Decimal(2), "contract": (Decimal(2), None)},
                "EE1": {"actual_value": Decimal(local)},
                "EE3": {
                    "actual_value": Decimal(2),
                    "second_value": Decimal(40),
                    "contract": (Decimal(2), Decimal(40)),
                },
                "DI3": {"actual_value": Decimal(5), "second_value": Decimal("62.5")},
            },
        )
    returned(
        supplier,
        worcestershire,
        contract,
        180,
        "verified",
        {"DI2": {"achieved": True, "achieved_on": ACHIEVED_ON}},
    )
    returned(
        supplier,
        worcestershire,
        contract,
        90,
        "submitted",
        {
            "CD2": {"actual_value": Decimal(50), "contract": (Decimal(50), None)},
            "EE1": {"actual_value": Decimal(99)},
            "EE3": {
                "actual_value": Decimal(9),
                "second_value": Decimal(900),
                "contract": (Decimal(9), Decimal(900)),
            },
        },
    )
    return contract
