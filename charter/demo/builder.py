"""A realistic, repeatable demo dataset: staff, ~40 Shropshire organisations and their histories.

Every organisation reaches its state by firing the real lifecycle triggers with the actors who
would fire them, so the audit trail is the one the service itself would have written; the demo
only back-dates it. The random generator is seeded, so two runs produce the same data (with
dates relative to today).
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from charter.demo.accounts import DemoAccount, demo_accounts
from charter.demo.activity import OrganisationStory, new_context
from charter.demo.audits import build_audits
from charter.demo.confirmations import open_confirmations
from charter.demo.contract_monitoring import build_contract_monitoring
from charter.demo.journeys import (
    ADMIN_EMAIL,
    BATCH_SIZE,
    DATA_FILE,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    FIRST_NAMES,
    JOURNEYS,
    LAST_NAMES,
    PLAN_APPROACHES,
    PLAN_RANGES,
    REASONS,
    SEED,
    SIGNATORY_ROLES,
    STAFF,
    Step,
)
from charter.demo.other_charters import build_other_charters
from charter.demo.register_checks import leave_newest_signatory_awaiting_check
from charter.extensions import db
from charter.models import AuditEvent, Membership, Organisation, Scheme, Signature, User
from charter.models.base import utcnow
from charter.models.organisation import CONTRIBUTOR, OWNER
from charter.models.plan import PLAN_APPROVED, PLAN_RETURNED, PLAN_SUBMITTED, ActionPlan, PlanTarget
from charter.models.staff import StaffRole
from charter.services.domain import publishing, signings
from charter.services.domain.accounts import hash_password
from charter.services.domain.lifecycle import actor_for, system_actor, transition
from charter.services.domain.organisations import slugify
from charter.services.domain.schemes import measures_of, principles_of
from charter.services.read_models.impact import build as impact_build


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
    # The impact page reads summary rows, normally rebuilt nightly: build them now so the demo
    # shows what the charter delivers straight away.
    impact_build.rebuild()
    db.session.commit()
    return DemoResult(
        created=True,
        organisations=count,
        accounts=demo_accounts(),
        summary=builder.summary(),
        certificates=sorted(builder.activity.certificates),
    )


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
        self.publishes: dict[int, bool | str] = {}  # each one's answer when it signs (issue 10)
        validity_days = round(scheme.validity_months * 365.25 / 12)
        self.fixed_gaps = {
            "until_renewal_window": validity_days - scheme.renewal_window_days,
            "renewal_window": scheme.renewal_window_days,
        }
        self.names = self._name_pool()

    def build(self) -> int:
        started = self.now - timedelta(days=4 * 365)
        # Shropshire's staff; the administrator runs the service too, as every administrator
        # did before roles were per charter.
        self.admin, *self.assessors = [self._user(e, n, started) for e, n, _, _ in STAFF]
        self.admin.service_admin = True
        db.session.flush()
        for (_, _, role, _), user in zip(STAFF, [self.admin, *self.assessors], strict=True):
            db.session.add(StaffRole(user_id=user.id, charter_id=self.scheme.charter_id, role=role))
        self.activity = new_context(self.scheme, self.now, self.assessors)
        records = demo_organisations()
        for index, record in enumerate(records):
            self._organisation(index, record)
            if (index + 1) % BATCH_SIZE == 0:
                db.session.commit()
        db.session.commit()
        # After the returns: contract managers confirm contracts and endorse their figures.
        self.monitoring = build_contract_monitoring(self.now, self.password_hash)
        self.monitoring.update(build_audits(self.now, self.assessors))
        self.monitoring.update(open_confirmations(records, self.now))
        self.monitoring.update(leave_newest_signatory_awaiting_check())
        # Then Worcestershire's and Cheshire West's charters, staff and signings.
        self.monitoring.update(build_other_charters(self.now, self.password_hash))
        db.session.commit()
        return db.session.scalar(select(func.count(Organisation.id)))

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
        return (
            [f"{len(self.activity.commissioners)} commissioners"]
            + [f"{counts[name]} {name}" for name in order]
            + [f"{count} {name}" for name, count in self.monitoring.items()]
        )

    # --- people -------------------------------------------------------------------------

    def _name_pool(self) -> list[str]:
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self.rng.shuffle(names)
        return names

    def _user(self, email: str, full_name: str, created: datetime) -> User:
        user = User(
            email=email,
            full_name=full_name,
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
        # A fixed story needs history behind it: the record may say how long ago the last step was.
        end_range = record.get("last_step_days_ago", end_range)
        registered_on = self.now - timedelta(days=self.rng.randint(*end_range) + sum(gaps))
        registered_at = self._at(registered_on, "owner")
        slug = slugify(record["name"])
        owner = self._user(f"owner@{slug}.{DEMO_DOMAIN}", self.names[index], registered_at)
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
            created_at=registered_at,
        )
        db.session.add(organisation)
        db.session.flush()
        signing = signings.start(organisation, self.scheme)
        signing.created_at = signing.status_changed_at = registered_at
        self.publishes[organisation.id] = record.get("publishes_figures", True)
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
        story = OrganisationStory(
            self.activity,
            organisation,
            owner,
            record["sector"],
            planned,
            record.get("latest_return"),
        )
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
            signings.signing_of(organisation).route = signature.route
            # Signing asks whether to publish the verified figures, as the service does ("not
            # asked": it signed before the question was).
            answer = self.publishes[organisation.id]
            if isinstance(answer, bool):
                publishing.decide(
                    organisation, answer, when, actor_id=actor.user_id, actor_label=actor.label
                )
        story.after(step.trigger, when, self.plans.get(organisation.id), reason)

    def _plan(self, organisation: Organisation, owner: User, when: datetime) -> ActionPlan:
        """A submitted plan revision with a plausible target for every core measure."""
        previous = self.plans.get(organisation.id)
        plan = ActionPlan(
            organisation_id=organisation.id,
            signing_id=signings.signing_id_of(organisation),
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
