"""A realistic, repeatable demo dataset: staff, ~40 Shropshire organisations and their histories.

Every organisation reaches its state by firing the real lifecycle triggers with the actors who
would fire them, so the audit trail is the one the service itself would have written; the demo
only back-dates it. The random generator is seeded, so two runs produce the same data (with
dates relative to today).
"""

from __future__ import annotations

import random
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Membership, Organisation, Scheme, Signature, User
from charter.models.base import utcnow
from charter.models.organisation import CONTRIBUTOR, OWNER
from charter.models.plan import PLAN_APPROVED, PLAN_RETURNED, PLAN_SUBMITTED, ActionPlan, PlanTarget
from charter.models.user import ROLE_ADMIN, ROLE_ASSESSOR, ROLE_MEMBER
from charter.services.accounts import hash_password
from charter.services.demo_data.activity import OrganisationStory, new_context
from charter.services.lifecycle import actor_for, system_actor, transition
from charter.services.schemes import measures_of, principles_of
from workflows.lifecycle import STATE_LABELS

DEMO_PASSWORD = "demo-password-2026"

# Plausible baselines by unit for the demo action plans.
PLAN_RANGES = {
    "GBP": (20_000, 250_000),
    "FTE": (2, 40),
    "weeks": (10, 150),
    "hours": (20, 300),
    "percent": (60, 90),
    "count": (1, 20),
}
PLAN_APPROACHES = [
    "Buy from local suppliers first, using the council's local supplier directory.",
    "Recruit through the local jobcentre and college partnerships.",
    "Work with the regional apprenticeship hub to take on new apprentices each year.",
    "Move supplier invoices to a weekly payment run.",
    "Pay every member of staff at least the Real Living Wage from April.",
]
DEMO_DOMAIN = "demo.example"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
SEED = 2026
BATCH_SIZE = 10
DATA_FILE = Path(__file__).with_name("demo_data") / "organisations.toml"

STAFF = [
    (
        ADMIN_EMAIL,
        "Priya Shah",
        ROLE_ADMIN,
        "Administrator: assessors, suspensions, reports",
    ),
    (f"assessor1@{DEMO_DOMAIN}", "Gareth Evans", ROLE_ASSESSOR, "Assessor: plans and applications"),
    (f"assessor2@{DEMO_DOMAIN}", "Helen Morgan", ROLE_ASSESSOR, "Assessor: plans and applications"),
]
FIRST_NAMES = [
    "Alice", "Ben", "Catrin", "David", "Emma", "Fiona", "George", "Hannah", "Ian", "Jasmine",
    "Kieran", "Laura", "Mohammed", "Nia", "Owen", "Rachel", "Sam", "Tom", "Usha", "Will",
]  # fmt: skip
LAST_NAMES = [
    "Bennett", "Clarke", "Davies", "Edwards", "Griffiths", "Hughes", "Jones", "Lloyd", "Morris",
    "Owen", "Parry", "Price", "Roberts", "Taylor", "Thomas", "Walker", "Watkins", "Williams",
]  # fmt: skip
SIGNATORY_ROLES = {
    "business": ["Managing Director", "Director", "Chief Executive", "Operations Director"],
    "vcse": ["Chair of Trustees", "Chief Officer", "Director"],
    "public": ["Clerk", "Chief Executive", "Head of Procurement"],
}
REASONS = {
    "return_plan": "The targets for LE4 and LE5 have no baseline figures. Add the baselines from "
    "your last financial year and send the plan again.",
    "request_information": "Send the supplier spend report behind the LE1 and LE2 figures for the "
    "last two quarters, with the postcodes of the suppliers counted as local.",
    # Filled in from the demo's own figures when the decision is made.
    "award_mark": "All core measures met and {share}% of all targets met, at least the "
    "{minimum}% the scheme asks for. Evidence checked against {returns} verified monitoring "
    "returns.",
    "refuse_mark": "{code} not met: verified returns show {achieved} against a target of "
    "{target}. You can apply again after {wait} days.",
    "suspend": "A complaint that subcontractors were paid late is being investigated under the "
    "scheme's complaints procedure.",
    "revoke_mark": "Monitoring returns for the last two quarters show the core measure LE9 "
    "(invoices paid within 30 days) is no longer met.",
    "lapse": "No monitoring return was received within the 60-day grace period.",
    "lapse_signatory": "The annual review found no action plan a year after signing.",
}


@dataclass(frozen=True)
class Step:
    trigger: str
    actor: str  # owner | assessor | admin | system
    gap: tuple[int, int] | str  # days after the previous step, or a gap the scheme fixes
    reason: str | None = None  # key in REASONS


SIGN = Step("sign", "owner", (1, 30))
TO_MONITORING = [
    SIGN,
    Step("submit_plan", "owner", (14, 75)),
    Step("approve_plan", "assessor", (5, 25)),
]
# Two quarterly returns verified before applying: at least two periods and the time to file.
APPLY = Step("apply_for_mark", "owner", (215, 330))
AWARD = Step("award_mark", "assessor", (10, 35), "award_mark")
LAPSE = Step("lapse", "system", (150, 250), "lapse")
SUSPEND = Step("suspend", "admin", (30, 200), "suspend")
ASK = Step("request_information", "assessor", (5, 20), "request_information")
ANSWER = Step("provide_information", "owner", (4, 25))
OPEN_RENEWAL = Step("open_renewal", "system", "until_renewal_window")
TO_AWARD = [*TO_MONITORING, APPLY, AWARD]

# name -> (steps, range of days between the last step and today)
JOURNEYS: dict[str, tuple[list[Step], tuple[int, int]]] = {
    "registered": ([], (1, 60)),
    "withdrawn_before_signing": ([Step("withdraw", "owner", (20, 90))], (30, 300)),
    "signatory": ([SIGN], (5, 300)),
    "lapsed_signatory": ([SIGN, Step("lapse", "system", (365, 380), "lapse_signatory")], (10, 200)),
    "withdrawn": ([SIGN, Step("withdraw", "owner", (30, 200))], (10, 300)),
    "plan_submitted": ([SIGN, Step("submit_plan", "owner", (14, 75))], (2, 20)),
    "plan_resubmitted": (
        [
            SIGN,
            Step("submit_plan", "owner", (14, 75)),
            Step("return_plan", "assessor", (5, 20), "return_plan"),
            Step("submit_plan", "owner", (7, 30)),
        ],
        (2, 20),
    ),
    "withdrawn_plan": (
        [SIGN, Step("submit_plan", "owner", (14, 75)), Step("withdraw", "owner", (10, 40))],
        (10, 300),
    ),
    "monitoring": (TO_MONITORING, (10, 200)),
    "lapsed_missed_return": ([*TO_MONITORING, LAPSE], (10, 300)),
    "signatory_after_lapse": ([*TO_MONITORING, LAPSE, Step("sign", "owner", (20, 90))], (5, 120)),
    "suspended": ([*TO_MONITORING, SUSPEND], (10, 120)),
    "under_assessment": ([*TO_MONITORING, APPLY], (2, 30)),
    "information_requested": ([*TO_MONITORING, APPLY, ASK], (2, 25)),
    "under_assessment_after_information": ([*TO_MONITORING, APPLY, ASK, ANSWER], (2, 20)),
    "monitoring_after_refusal": (
        [*TO_MONITORING, APPLY, Step("refuse_mark", "assessor", (10, 35), "refuse_mark")],
        (10, 80),
    ),
    "accredited": (TO_AWARD, (20, 560)),
    "accredited_after_information": (
        [*TO_MONITORING, APPLY, ASK, ANSWER, AWARD],
        (20, 400),
    ),
    "accredited_after_suspension": (
        [
            *TO_AWARD,
            SUSPEND,
            Step("lift_suspension", "admin", (14, 60)),
        ],
        (10, 200),
    ),
    "suspended_accredited": (
        [*TO_AWARD, SUSPEND],
        (10, 150),
    ),
    "monitoring_after_revocation": (
        [*TO_AWARD, Step("revoke_mark", "admin", (60, 300), "revoke_mark")],
        (10, 150),
    ),
    "renewal_due": ([*TO_AWARD, OPEN_RENEWAL], (5, 80)),
    "renewal_under_assessment": (
        [*TO_AWARD, OPEN_RENEWAL, Step("apply_for_renewal", "owner", (10, 60))],
        (2, 25),
    ),
    "lapsed_after_expiry": (
        [*TO_AWARD, OPEN_RENEWAL, Step("expire_mark", "system", "renewal_window")],
        (10, 120),
    ),
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    what_for: str


@dataclass(frozen=True)
class DemoResult:
    created: bool  # False: the demo data was already there and nothing changed
    organisations: int
    accounts: list[DemoAccount]
    # What else was made, e.g. "23 contracts", and (organisation, certificate number, status).
    summary: list[str] = field(default_factory=list)
    certificates: list[tuple[str, str, str]] = field(default_factory=list)


class NoSchemeLoaded(RuntimeError):
    pass


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def demo_organisations() -> list[dict]:
    return tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))["organisations"]


def already_loaded() -> bool:
    return db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None


def load_demo_data(scheme: Scheme | None, *, now: datetime | None = None) -> DemoResult:
    """Create the demo dataset on ``scheme`` (the current scheme), committing in batches.

    Does nothing if the demo administrator already exists.
    """
    if scheme is None:
        raise NoSchemeLoaded("No scheme is loaded.")
    if already_loaded():
        return DemoResult(created=False, organisations=0, accounts=demo_accounts())
    builder = _DemoBuilder(scheme, now or utcnow())
    count = builder.build()
    return DemoResult(
        created=True,
        organisations=count,
        accounts=demo_accounts(),
        summary=builder.summary(),
        certificates=sorted(builder.activity.certificates),
    )


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts in the database: staff first, then organisation members."""
    what_for = {email: what for email, _, _, what in STAFF}
    accounts = [
        DemoAccount(user.email, user.role, what_for[user.email])
        for user in db.session.scalars(
            select(User).where(User.email.in_(what_for)).order_by(User.role, User.email)
        )
    ]
    rows = db.session.execute(
        select(User.email, Membership.role, Organisation.name, Organisation.status)
        .join(Membership, Membership.user_id == User.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(User.email.like(f"%.{DEMO_DOMAIN}"))
        .order_by(Organisation.name, Membership.role.desc(), User.email)
    )
    for email, member_role, organisation, status in rows:
        label = "Owner" if member_role == OWNER else "Contributor"
        state = STATE_LABELS.get(status, status)
        accounts.append(DemoAccount(email, ROLE_MEMBER, f"{label}, {organisation} ({state})"))
    return accounts


class _DemoBuilder:
    def __init__(self, scheme: Scheme, now: datetime):
        self.scheme = scheme
        self.now = now
        self.rng = random.Random(SEED)
        self.password_hash = hash_password(DEMO_PASSWORD)  # once: argon2id is slow on purpose
        self.principle_codes = [p.code for p in principles_of(scheme)]
        self.core_measures = [m for m in measures_of(scheme) if m.is_core]
        self.core_measure_ids = [m.id for m in self.core_measures]
        self.plans: dict[int, ActionPlan] = {}  # each organisation's latest plan revision
        validity_days = round(scheme.validity_months * 365.25 / 12)
        self.fixed_gaps = {
            "until_renewal_window": validity_days - scheme.renewal_window_days,
            "renewal_window": scheme.renewal_window_days,
        }
        self.names = self._name_pool()

    def build(self) -> int:
        started = self.now - timedelta(days=4 * 365)
        self.admin = self._user(STAFF[0][0], STAFF[0][1], STAFF[0][2], started)
        self.assessors = [self._user(e, n, r, started) for e, n, r, _ in STAFF[1:]]
        db.session.flush()
        self.activity = new_context(self.scheme, self.now, self.assessors)
        records = demo_organisations()
        for index, record in enumerate(records):
            self._organisation(index, record)
            if (index + 1) % BATCH_SIZE == 0:
                db.session.commit()
        db.session.commit()
        return len(records)

    def summary(self) -> list[str]:
        counts = self.activity.counts
        order = [
            "contracts",
            "contract commitments",
            "verified returns",
            "submitted returns",
            "queried returns",
            "draft returns",
            "evidence links",
            "evidence files",
            "applications",
            "Charter Marks",
        ]
        return [f"{len(self.activity.commissioners)} commissioners"] + [
            f"{counts[name]} {name}" for name in order
        ]

    # --- people -------------------------------------------------------------------------

    def _name_pool(self) -> list[str]:
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self.rng.shuffle(names)
        return names

    def _user(self, email: str, full_name: str, role: str, created: datetime) -> User:
        user = User(
            email=email,
            full_name=full_name,
            role=role,
            password_hash=self.password_hash,
            email_verified_at=created + timedelta(minutes=self.rng.randint(2, 90)),
            created_at=created,
            password_changed_at=created,
        )
        db.session.add(user)
        return user

    # --- organisations ------------------------------------------------------------------

    def _organisation(self, index: int, record: dict) -> None:
        steps, end_range = JOURNEYS[record["journey"]]
        gaps = [self._gap(step) for step in steps]
        registered_on = self.now - timedelta(days=self.rng.randint(*end_range) + sum(gaps))
        registered_at = self._at(registered_on, "owner")
        slug = slugify(record["name"])
        owner = self._user(
            f"owner@{slug}.{DEMO_DOMAIN}", self.names[index], ROLE_MEMBER, registered_at
        )
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
            website=f"https://www.{slug}.example" if record["type"] == "business" else None,
            identifier_scheme=id_scheme or "none",
            identifier=identifier or None,
            org_id=record["id"] or None,
            no_identifier_reason=record.get("no_identifier_reason"),
            status="registered",
            scheme_id=self.scheme.id,
            created_at=registered_at,
            status_changed_at=registered_at,
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
        if index % 5 == 2:  # some organisations have a colleague helping with the returns
            colleague = self._user(
                f"contributor@{slug}.{DEMO_DOMAIN}",
                self.names[len(self.names) - 1 - index],
                ROLE_MEMBER,
                registered_at + timedelta(days=3),
            )
            db.session.flush()
            db.session.add(
                Membership(
                    user_id=colleague.id,
                    organisation_id=organisation.id,
                    role=CONTRIBUTOR,
                    created_at=registered_at + timedelta(days=3),
                )
            )
        planned = []
        day = registered_on
        for step, gap in zip(steps, gaps, strict=True):
            day += timedelta(days=gap)
            planned.append((step.trigger, self._at(day, step.actor)))
        story = OrganisationStory(self.activity, organisation, owner, record["sector"], planned)
        for step, (_, when) in zip(steps, planned, strict=True):
            self._fire(organisation, owner, step, when, story)
        story.finish()

    def _gap(self, step: Step) -> int:
        if isinstance(step.gap, str):
            return self.fixed_gaps[step.gap]
        return self.rng.randint(*step.gap)

    def _at(self, day: datetime, actor: str) -> datetime:
        """A plausible time on ``day``: office hours for people, the small hours for the
        scheduled review."""
        if actor == "system":
            clock = time(2, 0, self.rng.randint(0, 59))
        else:
            clock = time(self.rng.randint(8, 17), self.rng.randint(0, 59), self.rng.randint(0, 59))
        return datetime.combine(day.date(), clock)

    def _fire(self, organisation: Organisation, owner: User, step: Step, when: datetime, story):
        actor = self._actor(organisation, owner, step.actor)
        data: dict = {}
        signature = None
        if step.trigger == "sign":
            signature = self._signature(organisation, owner, when)
            data = {"signature": signature, "principle_codes": self.principle_codes}
        if step.trigger == "submit_plan":
            plan = self._plan(organisation, owner, when)
            data = {"plan_targets": plan.targets, "core_measure_ids": self.core_measure_ids}
        if step.trigger in ("approve_plan", "return_plan"):
            self._decide_plan(organisation, actor, step, when)
        reason = REASONS[step.reason] if step.reason else None
        # Applications, judgements and guard data (e.g. the award rule's verdict) come first.
        reason, extra = story.before(step.trigger, when, actor.user_id, reason)
        transition(organisation, step.trigger, actor, reason=reason, **(data | extra))
        # The audit row is still pending (nothing has flushed since the transition), so its
        # time can be set before it is written: audit rows cannot be updated afterwards.
        _backdate_pending_audit(when)
        organisation.status_changed_at = when
        if signature is not None:
            db.session.add(signature)
            organisation.route = signature.route
        story.after(step.trigger, when, self.plans.get(organisation.id), reason)

    def _plan(self, organisation: Organisation, owner: User, when: datetime) -> ActionPlan:
        """A submitted plan revision with a plausible target for every core measure."""
        previous = self.plans.get(organisation.id)
        plan = ActionPlan(
            organisation_id=organisation.id,
            scheme_id=self.scheme.id,
            revision=(previous.revision + 1) if previous else 1,
            status=PLAN_SUBMITTED,
            created_by_id=owner.id,
            created_at=when - timedelta(days=self.rng.randint(2, 10)),
            submitted_at=when,
        )
        plan.targets = [self._target(measure, when) for measure in self.core_measures]
        db.session.add(plan)
        self.plans[organisation.id] = plan
        return plan

    def _target(self, measure, when: datetime) -> PlanTarget:
        low, high = PLAN_RANGES[measure.unit]
        baseline = Decimal(self.rng.randint(low, high))
        if measure.unit == "percent":
            target = min(Decimal(100), baseline + self.rng.randint(5, 20))
        else:
            target = (baseline * Decimal(self.rng.choice(["1.1", "1.25", "1.5"]))).quantize(1)
        return PlanTarget(
            measure_id=measure.id,
            baseline=baseline,
            target_value=target,
            target_date=(when + timedelta(days=self.rng.choice([365, 540, 730]))).date(),
            approach=self.rng.choice(PLAN_APPROACHES),
        )

    def _decide_plan(self, organisation: Organisation, actor, step: Step, when: datetime) -> None:
        plan = self.plans[organisation.id]
        plan.decided_at = when
        plan.decided_by_id = actor.user_id
        if step.trigger == "approve_plan":
            plan.status = PLAN_APPROVED
        else:
            plan.status = PLAN_RETURNED
            plan.decision_comment = REASONS[step.reason] if step.reason else None

    def _actor(self, organisation: Organisation, owner: User, kind: str):
        if kind == "system":
            return system_actor("Scheduled review")
        person = {"owner": owner, "admin": self.admin}.get(kind)
        return actor_for(person or self.rng.choice(self.assessors), organisation)

    def _signature(self, organisation: Organisation, owner: User, when: datetime) -> Signature:
        return Signature(
            organisation_id=organisation.id,
            scheme_id=self.scheme.id,
            signed_by_id=owner.id,
            signatory_name=owner.full_name,
            signatory_role=self.rng.choice(SIGNATORY_ROLES[organisation.organisation_type]),
            has_authority=True,
            route=self.rng.choice(["already_delivering", "working_towards", "working_towards"]),
            accepted_principles=list(self.principle_codes),
            signed_at=when,
        )


def _backdate_pending_audit(when: datetime) -> None:
    for pending in db.session.new:
        if isinstance(pending, AuditEvent) and pending.created_at is None:
            pending.created_at = when
