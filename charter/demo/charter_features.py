"""What the demo's other charters use of their own schemes (issue 21): the features each council's
document asks for, shown by one signatory of each, so every charter's pages have something.

- **Cheshire West and Chester**: Severn Valley Builders (which signed it, its plan approved)
  declared the minimum standards before sending its plan, so the declaration is in force; it
  holds a contract worth over £100,000 with Cheshire West and Chester Council, so the policy's
  10% weighting is recorded on it and service credits apply; the council's contract manager
  confirmed it and recorded a credit for a quarter's missed work placements, and the supplier
  has proposed an alternative to that commitment, waiting for the contract manager. The scheme
  file sets no proxy values (the council's administrators set those; nothing is invented here),
  so the alternative cannot yet be valued and stays proposed, as its page explains.
- **Worcestershire**: Malvern Hills Catering holds a contract with Worcestershire County Council
  and made four pledges from the toolkit at tender, with its numbers and how often it reports
  (a count, a pair, a percentage and an achievement); its returns report them, sent and
  verified by the charter's assessor (charter.demo.pledge_returns).
- **Warwickshire**: one signatory, so its register and pages show one. Nothing more: the
  policy names no measures and gives none of its self-assessment's questions yet.

Made through the services the pages call (acting in the charter, as the pages do), then
back-dated by a fixed number of days like the rest of the demo, so it is the same on every date.
The two councils take part in their own charter only. Not committed.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, select

from charter.demo.contract_monitoring import manager_email
from charter.demo.other_charters import _new_organisation, _office_hours, _owner_of, _sign, _user
from charter.demo.pledge_returns import build_pledge_returns
from charter.extensions import db
from charter.models import (
    Charter,
    Contract,
    ContractManager,
    ContractMonitoringEvent,
    Measure,
    Organisation,
    User,
)
from charter.models.mail import OutboxEmail
from charter.models.signing import acting_in
from charter.services.domain import (
    award_weighting,
    commitment_alternatives,
    contract_monitoring,
    contracts,
    minimum_standards,
    pledges,
    service_credits,
)
from charter.services.domain.schemes import current_scheme

WARWICKSHIRE = "warwickshire"
# (commissioner, its org-id, the charter it takes part in and its area, its contract manager).
COUNCILS = [
    (
        "Cheshire West and Chester Council",
        "GB-LAE-CHW",
        ("cheshire-west-and-chester", "Cheshire West and Chester"),
        "Owen Gallagher",
    ),
    (
        "Worcestershire County Council",
        "GB-LAE-WOR",
        ("worcestershire", "Worcestershire"),
        "Helen Ashby",
    ),
]
# Severn Valley Builders' contract with Cheshire West and Chester Council, and what happened on
# it, in days before the demo's day.
CHESHIRE_WEST_CONTRACT = {
    "organisation": "Severn Valley Builders Ltd",
    "commissioner": "Cheshire West and Chester Council",
    "title": "Highways depot refurbishment, Ellesmere Port",
    "reference": "CWAC-2026-0871",
    "value": Decimal(310000),
    "started_days_ago": 120,
    "recorded_days_ago": 36,
    "confirmed_days_ago": 33,
    "commitment": ("CW3", Decimal(6)),
}
STANDARDS_DECLARED_DAYS_AGO = 38  # after signing (40 days ago), before its plan (30)
CREDIT = {
    "amount": Decimal("2500.00"),
    "reason": "No work placements for local people were offered in the contract’s first "
    "quarter, against the six committed at tender, and no alternative had been agreed.",
    "recorded_days_ago": 20,
}
ALTERNATIVE = {
    "measure": "CW4",
    "target": Decimal(12),
    "reason": "The depot stays a closed construction site while the structural works go on, so "
    "we cannot host placements there safely. We will run employment activities at a community "
    "venue in Ellesmere Port instead.",
    "proposed_days_ago": 8,
}
WORCESTERSHIRE_CONTRACT = {
    "organisation": "Malvern Hills Catering Ltd",
    "commissioner": "Worcestershire County Council",
    "title": "School meals, Malvern Hills primary schools",
    "reference": "WCC-2026-0412",
    "value": Decimal(180000),
    # After its plan was approved (charter.demo.other_charters), so its returns ask for the
    # pledges from the first quarter (charter.demo.pledge_returns).
    "started_days_ago": 470,
    "recorded_days_ago": 474,
    "confirmed_days_ago": 468,
    # (pledge code, its numbers in [#] order, how often it reports): a count, an achievement,
    # a pair and a percentage.
    "pledges": [
        ("CD2", [Decimal(4)], "quarterly"),
        ("DI2", [], "annually"),
        ("ES1", [Decimal(2), Decimal(30)], "annually"),
        ("EE1", [Decimal(40)], "annually"),
    ],
}
WARWICKSHIRE_SIGNATORY = {
    "name": "Arden Print and Signs Ltd",
    "type": "business",
    "size": "small",
    "sector": "Manufacturing",
    "address": "3 Tachbrook Park Drive",
    "town": "Warwick",
    "postcode": "CV34 6RH",
    "district": "Warwick",
    "id": "GB-COH-12468013",
    "owner": "Priya Lawson",
    "signed_days_ago": 45,
}


def manager_accounts() -> list[tuple[str, str]]:
    """(email, what for) of these councils' contract managers in the database."""
    wanted = {
        manager_email(name): f"Contract manager: {name} (in {area}'s charter only)"
        for name, _, (_, area), _ in COUNCILS
    }
    emails = db.session.scalars(select(User.email).where(User.email.in_(wanted)))
    return [(email, wanted[email]) for email in sorted(emails)]


def build_charter_features(now: datetime, password_hash: str, charters: dict) -> Counter:
    """Each other charter's features in use, as the module docstring says. ``charters`` by
    slug; Warwickshire's signatory only if its scheme file is loaded (`make db` loads it)."""
    counts: Counter = Counter()
    db.session.flush()
    emailed_before = db.session.scalar(select(func.max(OutboxEmail.id))) or 0
    managers = {}
    for name, org_id, (slug, _), manager_name in COUNCILS:
        commissioner = contracts.add_commissioner(name, org_id, charters[slug].id)
        started = now - timedelta(days=3 * 365)
        user = _user(manager_email(name), manager_name, password_hash, started)
        db.session.flush()
        db.session.add(
            ContractManager(commissioner_id=commissioner.id, user_id=user.id, created_at=started)
        )
        managers[name] = (commissioner, user)
        counts["contract managers"] += 1
    db.session.flush()
    at = lambda days: _office_hours(now - timedelta(days=days))  # noqa: E731
    _cheshire_west(now, at, charters["cheshire-west-and-chester"], managers, counts)
    _worcestershire(now, at, charters["worcestershire"], managers, counts)
    warwickshire = db.session.scalar(select(Charter).where(Charter.slug == WARWICKSHIRE))
    if warwickshire is not None:
        record = WARWICKSHIRE_SIGNATORY
        organisation, owner = _new_organisation(record, now, password_hash)
        _sign(organisation, owner, warwickshire, now - timedelta(days=record["signed_days_ago"]))
        counts["further signings"] += 1
    # The services email what happened; in the demo it happened weeks ago, so nothing is sent.
    db.session.flush()
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.id > emailed_before))
    return counts


def _contract(record: dict, now: datetime, at, managers: dict, charter: Charter):
    """The supplier's contract, recorded acting in ``charter`` (so its weighting is that
    charter's) and confirmed by the commissioner's contract manager."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == record["organisation"])
    )
    commissioner, manager = managers[record["commissioner"]]
    start = (now - timedelta(days=record["started_days_ago"])).date()
    owner = _owner_of(organisation)
    contract = Contract(
        organisation_id=organisation.id,
        commissioner_id=commissioner.id,
        commissioner=commissioner,
        title=record["title"],
        reference=record["reference"],
        value=record["value"],
        start_date=start,
        end_date=start.replace(year=start.year + 3) - timedelta(days=1),
        created_by_id=owner.id,
        created_at=at(record["recorded_days_ago"]),
    )
    with acting_in(charter.id):
        award_weighting.record(contract, organisation)
    db.session.add(contract)
    db.session.flush()
    contract_monitoring.confirm_contract(contract, manager, contract.version_id)
    contract.confirmed_at = at(record["confirmed_days_ago"])
    # Its event is still pending: append-only once written, so back-dated before it is.
    for pending in db.session.new:
        if isinstance(pending, ContractMonitoringEvent) and pending.contract_id == contract.id:
            pending.created_at = contract.confirmed_at
    return organisation, owner, contract, manager


def _cheshire_west(now: datetime, at, charter: Charter, managers: dict, counts: Counter) -> None:
    record = CHESHIRE_WEST_CONTRACT
    organisation, owner, contract, manager = _contract(record, now, at, managers, charter)
    with acting_in(charter.id):
        declared = at(STANDARDS_DECLARED_DAYS_AGO)
        minimum_standards.declare(organisation, owner, today=declared.date()).declared_at = declared
        counts["minimum standards declarations"] += 1
        code, target = record["commitment"]
        measure = _measure(charter, code)
        commitment = contracts.add_commitment(
            organisation, contract, measure, target_value=target, notes=None
        )
        commitment.measure = measure  # as the contract page loads it
        db.session.flush()
        credit_day = at(CREDIT["recorded_days_ago"])
        credit = service_credits.record_credit(
            contract,
            organisation,
            manager,
            amount=CREDIT["amount"],
            reason=CREDIT["reason"],
            period_start=contract.start_date,
            period_end=contract.start_date + timedelta(days=89),
            today=credit_day.date(),
        )
        credit.recorded_at = credit_day
        counts["service credits"] += 1
        alternative = commitment_alternatives.propose(
            organisation,
            contract,
            commitment,
            _measure(charter, ALTERNATIVE["measure"]),
            target_value=ALTERNATIVE["target"],
            reason=ALTERNATIVE["reason"],
            user=owner,
        )
        alternative.proposed_at = at(ALTERNATIVE["proposed_days_ago"])
        counts["alternatives waiting for a contract manager"] += 1


def _worcestershire(now: datetime, at, charter: Charter, managers: dict, counts: Counter) -> None:
    record = WORCESTERSHIRE_CONTRACT
    organisation, owner, contract, _ = _contract(record, now, at, managers, charter)
    with acting_in(charter.id):
        for code, numbers, frequency in record["pledges"]:
            pledges.make_pledge(
                organisation,
                contract,
                _measure(charter, code),
                numbers=numbers,
                frequency=frequency,
                notes=None,
            )
            counts["pledges made at tender"] += 1
    db.session.flush()
    build_pledge_returns(now, charter, organisation, owner, contract, counts)


def _measure(charter: Charter, code: str) -> Measure:
    scheme = current_scheme(charter=charter)
    return db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )
