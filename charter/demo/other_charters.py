"""The demo's other charters (issue 20): Worcestershire's and Cheshire West and Chester's, each
with its own administrator and assessor, Shropshire organisations that signed two or three
charters, and one organisation that signed Worcestershire's only.

Built when those charters' scheme files are loaded (`make db` loads every file; the tests that
load Shropshire's alone keep a Shropshire-only demo), after Shropshire's organisations and as
the builder does: a signing under the charter's current scheme, then the owner's "sign"
trigger fired acting in that charter (``acting_in``) with a signature and the answer on
publishing figures, back-dated by a fixed number of days so the demo is the same on every date.
Then what the charters share: a police force that takes part in two charters and a contract
with it that counts in both, and plans under the further signings, one approved by Cheshire
West's own assessor (that signing is in monitoring), one waiting for Worcestershire's and
Malvern Hills Catering's approved by Worcestershire's (its returns: pledge_returns.py).
Last, each charter's own features in use, and Warwickshire's signatory: charter_features.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from charter.demo.journeys import DEMO_DOMAIN
from charter.extensions import db
from charter.models import (
    ActionPlan,
    AuditEvent,
    Charter,
    Commissioner,
    Contract,
    ContractCommitment,
    ContractManager,
    Measure,
    Membership,
    Organisation,
    PlanTarget,
    Signature,
    User,
)
from charter.models.contract import CONTRACT_CONFIRMED, CONTRACT_UNCONFIRMED
from charter.models.organisation import OWNER
from charter.models.plan import PLAN_APPROVED, PLAN_SUBMITTED
from charter.models.signing import acting_in
from charter.models.staff import ADMINISTRATOR, ASSESSOR, StaffRole
from charter.services.domain import publishing, signings
from charter.services.domain.charter_commissioners import set_taking_part
from charter.services.domain.lifecycle import actor_for, transition
from charter.services.domain.organisations import slugify
from charter.services.domain.schemes import current_scheme, principles_of

WORCESTERSHIRE = "worcestershire"
CHESHIRE_WEST = "cheshire-west-and-chester"
# Each charter's slug and its scheme file in schemes/.
SCHEME_FILES = {
    WORCESTERSHIRE: "worcestershire.toml",
    CHESHIRE_WEST: "cheshire-west-and-chester.toml",
}
# (email, name, role, what it is for, charter slug)
OTHER_STAFF = [
    (
        f"admin@worcestershire.{DEMO_DOMAIN}",
        "Rebecca Hall",
        ADMINISTRATOR,
        "Administrator of Worcestershire's charter only",
        WORCESTERSHIRE,
    ),
    (
        f"assessor@worcestershire.{DEMO_DOMAIN}",
        "Daniel Cooper",
        ASSESSOR,
        "Assessor of Worcestershire's charter only",
        WORCESTERSHIRE,
    ),
    (
        f"admin@cheshire-west.{DEMO_DOMAIN}",
        "Siobhan Kelly",
        ADMINISTRATOR,
        "Administrator of Cheshire West and Chester's charter only",
        CHESHIRE_WEST,
    ),
    (
        f"assessor@cheshire-west.{DEMO_DOMAIN}",
        "Martin Shaw",
        ASSESSOR,
        "Assessor of Cheshire West and Chester's charter only",
        CHESHIRE_WEST,
    ),
]
# The charters each Shropshire organisation signed as well, and how many days ago.
FURTHER_SIGNINGS = {
    "Severn Valley Builders Ltd": [(WORCESTERSHIRE, 75), (CHESHIRE_WEST, 40)],
    "Wrekin Care Partnership CIC": [(WORCESTERSHIRE, 60)],
}
# Action plans under the further signings: (organisation, charter, the measure it chose and its
# baseline and target, days ago sent, days ago approved or None: waiting for the charter's own
# assessor). Neither scheme has a core measure: the organisation chooses what it commits to.
FURTHER_PLANS = [
    ("Severn Valley Builders Ltd", CHESHIRE_WEST, ("CW1", 0, 52), 30, 24),
    ("Wrekin Care Partnership CIC", WORCESTERSHIRE, ("CD2", 0, 6), 12, None),
    # Its returns report the pledges on its contract with the county (charter_features.py).
    ("Malvern Hills Catering Ltd", WORCESTERSHIRE, ("CD2", 0, 4), 490, 480),
]
# A police force covers both counties: its contracts count in both charters. Severn Valley
# Builders (which signed both) holds one, confirmed once by the force's contract manager.
COMMISSIONERS_IN_TWO = {"West Mercia Police": WORCESTERSHIRE}
CONTRACT_IN_TWO = {
    "organisation": "Severn Valley Builders Ltd",
    "commissioner": "West Mercia Police",
    "title": "Custody suite refurbishment, Worcester and Shrewsbury",
    "reference": "WMP-2026-031",
    "value": "240000",
    "started_days_ago": 150,
    "confirmed_days_ago": 140,
    "commitment": ("LE5", Decimal(52)),
}
WORCESTERSHIRE_ONLY = {
    "name": "Malvern Hills Catering Ltd",
    "type": "business",
    "size": "small",
    "sector": "Hospitality and catering",
    "address": "9 Graham Road",
    "town": "Great Malvern",
    "postcode": "WR14 2HR",
    "district": "Malvern Hills",
    "id": "GB-COH-13579246",
    "owner": "Grace Turner",
    "signed_days_ago": 500,
}


def missing_charters() -> list[str]:
    """The scheme files to load (``flask charter load-scheme``; `make db` loads them all) before
    the demo can show the other charters."""
    loaded = set(db.session.scalars(select(Charter.slug).where(Charter.slug.in_(SCHEME_FILES))))
    return [f"schemes/{name}" for slug, name in SCHEME_FILES.items() if slug not in loaded]


def build_other_charters(now: datetime, password_hash: str) -> Counter:
    """The other charters' staff and signings, when their scheme files are loaded (else
    nothing: the demo is Shropshire's alone); not committed."""
    if missing_charters():
        return Counter()
    charters = {
        slug: db.session.scalar(select(Charter).where(Charter.slug == slug))
        for slug in SCHEME_FILES
    }
    for email, name, role, _, slug in OTHER_STAFF:
        user = _user(email, name, password_hash, now - timedelta(days=400))
        db.session.flush()
        db.session.add(StaffRole(user_id=user.id, charter_id=charters[slug].id, role=role))
    counts = Counter()
    for name, further in FURTHER_SIGNINGS.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        owner = _owner_of(organisation)
        for slug, days_ago in further:
            _sign(organisation, owner, charters[slug], now - timedelta(days=days_ago))
            counts["further signings"] += 1
    organisation, owner = _new_organisation(WORCESTERSHIRE_ONLY, now, password_hash)
    when = now - timedelta(days=WORCESTERSHIRE_ONLY["signed_days_ago"])
    _sign(organisation, owner, charters[WORCESTERSHIRE], when)
    counts["further signings"] += 1
    for name, slug in COMMISSIONERS_IN_TWO.items():
        commissioner = db.session.scalar(select(Commissioner).where(Commissioner.name == name))
        if commissioner is not None:
            set_taking_part(commissioner, charters[slug].id, True)
            counts["commissioners in two charters"] += 1
    counts["contracts counting in two charters"] += _contract_in_two(now)
    for name, slug, target, sent_days, approved_days in FURTHER_PLANS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        assessor = db.session.scalar(
            select(User)
            .join(StaffRole, StaffRole.user_id == User.id)
            .where(StaffRole.charter_id == charters[slug].id, StaffRole.role == ASSESSOR)
        )
        sent = now - timedelta(days=sent_days)
        approved = now - timedelta(days=approved_days) if approved_days is not None else None
        _plan(organisation, _owner_of(organisation), charters[slug], target, sent)
        if approved is not None:
            _approve(organisation, assessor, charters[slug], approved)
        counts["further plans"] += 1
    # What each charter's own scheme asks for, in use (its own module: this one is full).
    from charter.demo.charter_features import build_charter_features

    counts.update(build_charter_features(now, password_hash, charters))
    return counts


def _user(email: str, name: str, password_hash: str, created: datetime) -> User:
    user = User(
        email=email,
        full_name=name,
        password_hash=password_hash,
        email_verified_at=created + timedelta(minutes=20),
        created_at=created,
        password_changed_at=created,
    )
    db.session.add(user)
    return user


def _owner_of(organisation: Organisation) -> User:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, Membership.role == OWNER)
    )


def _new_organisation(record: dict, now: datetime, password_hash: str):
    """An organisation of another charter's area (not in organisations.toml), and its owner."""
    registered_at = _office_hours(now - timedelta(days=record["signed_days_ago"] + 6))
    slug = slugify(record["name"])
    owner = _user(f"owner@{slug}.{DEMO_DOMAIN}", record["owner"], password_hash, registered_at)
    id_scheme, _, identifier = record["id"].rpartition("-")
    organisation = Organisation(
        name=record["name"],
        slug=slug,
        organisation_type=record["type"],
        size=record["size"],
        sector=record["sector"],
        address_line_1=record["address"],
        town=record["town"],
        postcode=record["postcode"],
        district=record["district"],
        website=f"https://www.{slug}.example",
        identifier_scheme=id_scheme,
        identifier=identifier,
        org_id=record["id"],
        created_at=registered_at,
    )
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        Membership(
            user_id=owner.id,
            organisation_id=organisation.id,
            role=OWNER,
            created_at=registered_at,
        )
    )
    return organisation, owner


def _sign(organisation: Organisation, owner: User, charter: Charter, when: datetime) -> None:
    """Start the organisation's signing of ``charter`` and sign it on the day ``when``."""
    scheme = current_scheme(charter=charter)
    when = _office_hours(when)
    with acting_in(charter.id):
        signing = signings.start(organisation, scheme)
        signing.created_at = when - timedelta(days=5)
        codes = [p.code for p in principles_of(scheme)]
        signature = _signature(organisation, owner, scheme, codes, when)
        transition(
            organisation,
            "sign",
            actor_for(owner, organisation),
            signature=signature,
            principle_codes=codes,
        )
        _backdate_pending_audit(when)
        signing.status_changed_at = when
        db.session.add(signature)
        signing.route = signature.route
        publishing.decide(organisation, True, when, actor_id=owner.id, actor_label=owner.full_name)
        db.session.flush()


def _contract_in_two(now: datetime) -> int:
    record = CONTRACT_IN_TWO
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == record["organisation"])
    )
    commissioner = db.session.scalar(
        select(Commissioner).where(Commissioner.name == record["commissioner"])
    )
    manager = db.session.scalar(
        select(ContractManager.user_id).where(ContractManager.commissioner_id == commissioner.id)
    )
    start = (now - timedelta(days=record["started_days_ago"])).date()
    contract = Contract(
        organisation_id=organisation.id,
        commissioner_id=commissioner.id,
        title=record["title"],
        reference=record["reference"],
        value=Decimal(record["value"]),
        start_date=start,
        end_date=start.replace(year=start.year + 2) - timedelta(days=1),
        created_by_id=_owner_of(organisation).id,
        created_at=_office_hours(now - timedelta(days=record["started_days_ago"] + 5)),
        confirmation_status=CONTRACT_CONFIRMED if manager else CONTRACT_UNCONFIRMED,
        confirmed_by_id=manager,
        confirmed_at=(
            _office_hours(now - timedelta(days=record["confirmed_days_ago"])) if manager else None
        ),
    )
    # Its commitment at tender, to Shropshire's apprenticeships measure (NT10).
    code, target = record["commitment"]
    measure = db.session.scalar(
        select(Measure).where(Measure.scheme_id == current_scheme().id, Measure.code == code)
    )
    contract.commitments = [ContractCommitment(measure_id=measure.id, target_value=target)]
    db.session.add(contract)
    return 1


def _plan(organisation, owner, charter, target, when: datetime) -> None:
    """A plan of one target sent under ``charter``, through the "submit_plan" trigger."""
    scheme = current_scheme(charter=charter)
    code, baseline, value = target
    measure = db.session.scalar(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.code == code)
    )
    when = _office_hours(when)
    with acting_in(charter.id):
        plan = ActionPlan(
            organisation_id=organisation.id,
            signing_id=signings.signing_id_of(organisation),
            scheme_id=scheme.id,
            revision=1,
            status=PLAN_SUBMITTED,
            created_by_id=owner.id,
            created_at=when - timedelta(days=3),
            submitted_at=when,
        )
        plan.targets = [
            PlanTarget(
                measure_id=measure.id,
                baseline=Decimal(baseline),
                target_value=Decimal(value),
                target_date=(when + timedelta(days=365)).date(),
                approach="Chosen from the charter's measures for the contracts we hold.",
            )
        ]
        db.session.add(plan)
        transition(
            organisation,
            "submit_plan",
            actor_for(owner, organisation),
            plan_targets=plan.targets,
            core_measure_ids=[],
            measure_titles={measure.id: f"{measure.code}: {measure.title}"},
        )
        _backdate_pending_audit(when)
        signings.signing_of(organisation).status_changed_at = when
        db.session.flush()


def _approve(organisation, assessor: User, charter, when: datetime) -> None:
    """The charter's own assessor approves the plan sent under it."""
    when = _office_hours(when)
    with acting_in(charter.id):
        plan = db.session.scalar(
            select(ActionPlan).where(ActionPlan.signing_id == signings.signing_id_of(organisation))
        )
        plan.status, plan.decided_at, plan.decided_by_id = PLAN_APPROVED, when, assessor.id
        transition(organisation, "approve_plan", actor_for(assessor, organisation))
        _backdate_pending_audit(when)
        signings.signing_of(organisation).status_changed_at = when
        db.session.flush()


def _signature(organisation, owner, scheme, codes, when) -> Signature:
    return Signature(
        organisation_id=organisation.id,
        scheme_id=scheme.id,
        signed_by_id=owner.id,
        signatory_name=owner.full_name,
        signatory_role="Managing Director"
        if organisation.organisation_type == "business"
        else "Chief Officer",
        has_authority=True,
        route="working_towards",
        accepted_principles=list(codes),
        signed_at=when,
    )


def _office_hours(day: datetime) -> datetime:
    return datetime.combine(day.date(), time(10, 30))


def _backdate_pending_audit(when: datetime) -> None:
    for pending in db.session.new:
        if isinstance(pending, AuditEvent) and pending.created_at is None:
            pending.created_at = when
