"""What demo organisations do after signing: contracts won from local commissioners, monitoring
returns, applications for the Charter Mark, the assessors' judgements and the marks awarded.

An :class:`OrganisationStory` follows one organisation's planned history: the demo builder calls
``before`` and ``after`` around each trigger it fires, so an application exists before the
assessor decides on it and a Charter Mark is created when the award is made, at the back-dated
time the audit trail shows. Everything uses its own seeded random generator, so the
organisations' histories stay as they were.
"""

from __future__ import annotations

import math
import random
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from charter.demo.back_dated_snapshot import snapshot_as_of
from charter.demo.returns import Profile, ReturnsBuilder, Schedule, Sent, amount
from charter.extensions import db
from charter.models import Commissioner, Contract, ContractCommitment, Scheme, User
from charter.models.assessment import (
    APPLICATION_AWARDED,
    APPLICATION_INFORMATION_REQUESTED,
    APPLICATION_OPEN,
    APPLICATION_REFUSED,
    MARK_EXPIRED,
    MARK_REVOKED,
    MARK_SUSPENDED,
    MARK_VALID,
    VERDICT_MET,
    VERDICT_NOT_MET,
    VERDICT_PARTLY_MET,
    Application,
    InformationRequest,
    MeasureJudgement,
)
from charter.services.domain import charter_commissioners, signings
from charter.services.domain.award_rule import AwardRule, evaluate_award_rule
from charter.services.domain.marks import create_mark
from charter.services.domain.periods import periods_between, plan_year_containing
from charter.services.domain.progress import LATEST_VALUE_UNITS
from charter.services.domain.returns import MONITORED_STATES
from charter.services.domain.schemes import measures_of
from workflows import lifecycle

TEXTS_FILE = Path(__file__).with_name("activity.toml")
SEED = 4242
EVIDENCE_FILES = 8  # real stored files; the rest of the evidence is links
RECORDING_STATES = tuple(lifecycle.SUSPENDABLE)


@dataclass
class DemoContext:
    scheme: Scheme
    now: datetime
    assessors: list[User]
    rng: random.Random
    texts: dict
    measures: dict
    commissioners: dict[str, Commissioner]
    counts: Counter = field(default_factory=Counter)
    certificates: list[tuple[str, str, str]] = field(default_factory=list)
    files_left: int = EVIDENCE_FILES


def load_texts() -> dict:
    return tomllib.loads(TEXTS_FILE.read_text(encoding="utf-8"))


def demo_commissioners(texts: dict, charter_id: int) -> dict[str, Commissioner]:
    """The managed list of commissioners (reusing any an administrator already added), each
    taking part in the demo's charter."""
    wanted = texts["commissioners"]
    names = [w["name"] for w in wanted]
    existing = {
        c.name: c
        for c in db.session.scalars(select(Commissioner).where(Commissioner.name.in_(names)))
    }
    for entry in wanted:
        if entry["name"] not in existing:
            commissioner = Commissioner(name=entry["name"], org_id=entry.get("org_id"))
            db.session.add(commissioner)
            existing[entry["name"]] = commissioner
    db.session.flush()
    for commissioner in existing.values():
        charter_commissioners.set_taking_part(commissioner, charter_id, True)
    return existing


def new_context(scheme: Scheme, now: datetime, assessors: list[User]) -> DemoContext:
    texts = load_texts()
    return DemoContext(
        scheme=scheme,
        now=now,
        assessors=assessors,
        rng=random.Random(SEED),
        texts=texts,
        measures={m.id: m for m in measures_of(scheme)},
        commissioners=demo_commissioners(texts, scheme.charter_id),
    )


def _states_after(planned: list[tuple[str, datetime]]) -> list[tuple[datetime, str]]:
    """The signatory's duties after each planned trigger (the Mark's triggers leave them as
    they were)."""
    state, before_suspension, out = lifecycle.REGISTERED, None, []
    for trigger, when in planned:
        trig = lifecycle.TRIGGERS[trigger]
        if trig.machine == lifecycle.DUTIES:
            if trigger == "suspend":
                before_suspension = state
            state = before_suspension if trig.dest is None else trig.dest
        out.append((when, state))
    return out


def _last_in(states: list[tuple[datetime, str]], wanted, now: datetime) -> datetime | None:
    """The last moment the organisation was in one of ``wanted`` states."""
    last = None
    for index, (_when, state) in enumerate(states):
        if state in wanted:
            last = states[index + 1][0] if index + 1 < len(states) else now
    return last


class OrganisationStory:
    def __init__(
        self, ctx: DemoContext, organisation, owner, sector: str, planned, story: str | None = None
    ):
        self.ctx = ctx
        self.rng = ctx.rng
        self.organisation = organisation
        self.owner = owner
        self.sector = sector
        self.planned = planned
        self.story = story  # the latest returns' fixed story, if any (returns.STORIES)
        self.states = _states_after(planned)
        self.triggers = [trigger for trigger, _ in planned]
        self.first = {}
        for trigger, when in planned:
            self.first.setdefault(trigger, when)
        self.contracts: list[Contract] = []
        self.sent: list[Sent] = []
        self.plan = None
        self.application: Application | None = None
        self.information: InformationRequest | None = None
        self.mark = None

    # --- hooks around each trigger -----------------------------------------------------------

    def before(self, trigger: str, when: datetime, actor_id, reason: str | None):
        """Records made just before the trigger fires; returns its reason and guard data."""
        if trigger in ("apply_for_mark", "apply_for_renewal"):
            self._apply(when, renewal=trigger == "apply_for_renewal")
            return reason, {"missing": []}
        if trigger == "request_information":
            self.application.status = APPLICATION_INFORMATION_REQUESTED
            self.information = InformationRequest(
                application_id=self.application.id,
                questions=reason,
                requested_by_id=actor_id,
                requested_at=when,
            )
            db.session.add(self.information)
        if trigger == "provide_information":
            self.application.status = APPLICATION_OPEN
            self.information.answer = self.ctx.texts["information"]["answer"]
            self.information.answered_by_id = self.owner.id
            self.information.answered_at = when
        if trigger in ("award_mark", "refuse_mark"):
            return self._decide(trigger, when, actor_id, reason)
        return reason, {}

    def after(self, trigger: str, when: datetime, plan, reason: str | None) -> None:
        if trigger == "approve_plan" and self.plan is None:
            self.plan = plan
            self._contracts(when)
            self._returns(when)
        if trigger == "award_mark":
            self.mark = create_mark(
                self.organisation, self.application, self.ctx.scheme, when.date()
            )
            self.mark.status_changed_at = when
            db.session.flush()
            self.ctx.counts["Charter Marks"] += 1
        changes = {
            "suspend": MARK_SUSPENDED,
            "suspend_mark": MARK_SUSPENDED,
            "lift_suspension": MARK_VALID,
            "revoke_mark": MARK_REVOKED,
            "expire_mark": MARK_EXPIRED,
        }
        if self.mark is not None and trigger in changes:
            self.mark.status = changes[trigger]
            self.mark.status_changed_at = when
            if trigger == "revoke_mark":
                self.mark.revoked_reason = reason

    def finish(self) -> None:
        """Some signatories record a contract before their plan is approved."""
        if self.plan is None and "sign" in self.first and self.rng.random() < 0.4:
            active_until = _last_in(self.states, RECORDING_STATES, self.ctx.now)
            if active_until is not None:
                self._contract(self.first["sign"] + timedelta(days=7), active_until)
        if self.mark is not None:
            self.ctx.certificates.append(
                (self.organisation.name, self.mark.certificate_number, self.mark.status)
            )

    # --- contracts -----------------------------------------------------------------------------

    def _contracts(self, approved_at: datetime) -> None:
        active_until = _last_in(self.states, RECORDING_STATES, self.ctx.now) or approved_at
        deadline = self.first.get("apply_for_mark", active_until)
        first_recorded = min(deadline - timedelta(days=3), approved_at + timedelta(days=20))
        self._contract(first_recorded, active_until, starts_before=approved_at)
        for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
            self._contract(approved_at + timedelta(days=self.rng.randint(30, 400)), active_until)

    def _contract(self, recorded_at: datetime, active_until: datetime, starts_before=None):
        rng, ctx = self.rng, self.ctx
        if recorded_at >= min(active_until, ctx.now):
            return
        sector = ctx.texts["contracts"].get(self.sector) or ctx.texts["contracts"]["Other"]
        commissioner = ctx.commissioners[rng.choice(sector["commissioners"])]
        code = next(c["code"] for c in ctx.texts["commissioners"] if c["name"] == commissioner.name)
        used = {c.title for c in self.contracts}
        title = rng.choice([t for t in sector["titles"] if t not in used] or sector["titles"])
        start = (starts_before or recorded_at) - timedelta(days=rng.randint(20, 300))
        start = date(start.year, start.month, 1)
        years = rng.choice([1, 2, 3])
        value = Decimal(round(math.exp(rng.uniform(math.log(20_000), math.log(2_000_000))), -3))
        contract = Contract(
            organisation_id=self.organisation.id,
            commissioner_id=commissioner.id,
            title=title,
            reference=f"{code}-{start.year}-{rng.randint(100, 999)}",
            value=value,
            start_date=start,
            end_date=date(start.year + years, start.month, 1) - timedelta(days=1),
            created_by_id=self.owner.id,
            created_at=recorded_at,
        )
        measures = rng.sample(list(ctx.measures.values()), rng.randint(1, 3))
        contract.commitments = [
            ContractCommitment(measure_id=m.id, target_value=self._commitment(m.unit, value))
            for m in measures
        ]
        db.session.add(contract)
        self.contracts.append(contract)
        ctx.counts["contracts"] += 1
        ctx.counts["contract commitments"] += len(measures)

    def _commitment(self, unit: str, value: Decimal) -> Decimal:
        rng = self.rng
        if unit == "GBP":
            return Decimal(round(float(value) * rng.uniform(0.1, 0.35), -2))
        ranges = {"FTE": (1, 12), "weeks": (10, 120), "hours": (20, 250), "percent": (85, 100)}
        return Decimal(rng.randint(*ranges.get(unit, (1, 10))))

    # --- monitoring returns ----------------------------------------------------------------------

    def _returns(self, approved_at: datetime) -> None:
        ctx = self.ctx
        until = _last_in(self.states, MONITORED_STATES, ctx.now) or approved_at
        apply_at = self.first.get("apply_for_mark")
        lapsed_at = None
        previous_states = [lifecycle.REGISTERED] + [state for _, state in self.states[:-1]]
        for (trigger, when), previous in zip(self.planned, previous_states, strict=True):
            if trigger == "suspend_mark" or (trigger, previous) == ("lapse", lifecycle.MONITORING):
                lapsed_at = when
        schedule = Schedule(approved_at, until, apply_at, lapsed_at, self.story)
        months = ctx.scheme.monitoring_period_months
        if apply_at is not None:
            cutoff = (apply_at - timedelta(days=10)).date()
            profile = Profile(
                True, max(1, len(periods_between(approved_at.date(), cutoff, months)))
            )
        else:
            profile = Profile(lapsed_at is None and self.rng.random() < 0.4, self.rng.randint(2, 3))
        if "refuse_mark" in self.first:
            profile.shortfalls["LE8"] = date.min
        if "revoke_mark" in self.first:
            profile.shortfalls["LE9"] = self.first["award_mark"].date()
        self.sent = ReturnsBuilder(ctx).build(
            self.organisation, self.owner, self.plan, schedule, profile, self.contracts
        )
        for item in self.sent:
            ctx.counts[f"{item.status} returns"] += 1

    # --- applications and decisions --------------------------------------------------------

    def achieved(self, before: datetime) -> dict[int, tuple[Decimal, int]]:
        """Each target's figure as the progress read model counts it on ``before``: a stock's
        latest verified figure; a flow's total in the current plan year, or in the last
        completed one when that met the annual target and the current one does not yet."""
        verified = [s for s in self.sent if s.verified_at is not None and s.verified_at < before]
        verified.sort(key=lambda s: s.monitoring_return.period_start)
        start = self.plan.decided_at.date()
        year = plan_year_containing(start, before.date())
        number = year.number if year else 0
        out = {}
        for target in self.plan.targets:
            unit = self.ctx.measures[target.measure_id].unit
            if unit in LATEST_VALUE_UNITS:
                values = [s.values[target.measure_id] for s in verified]
                out[target.measure_id] = (values[-1] if values else Decimal(0), len(values[-1:]))
                continue
            by_year: dict[int, list[Decimal]] = {}
            for s in verified:
                found = plan_year_containing(start, s.monitoring_return.period_end)
                if found is not None:
                    by_year.setdefault(found.number, []).append(s.values[target.measure_id])
            current = by_year.get(number, [])
            previous = by_year.get(number - 1, [])
            if sum(current, Decimal(0)) < target.target_value <= sum(previous, Decimal(0)):
                current = previous
            out[target.measure_id] = (sum(current, Decimal(0)), len(current))
        return out

    def _apply(self, when: datetime, *, renewal: bool) -> None:
        self.application = Application(
            organisation_id=self.organisation.id,
            signing_id=signings.signing_id_of(self.organisation),
            scheme_id=self.ctx.scheme.id,
            is_renewal=renewal,
            status=APPLICATION_OPEN,
            submitted_at=when,
            submitted_by_id=self.owner.id,
            snapshot=snapshot_as_of(self, when),
        )
        db.session.add(self.application)
        db.session.flush()
        self.ctx.counts["applications"] += 1

    def _decide(self, trigger: str, when: datetime, actor_id, reason: str | None):
        ctx = self.ctx
        achieved = self.achieved(when)
        judgements = {}
        texts = ctx.texts["judgements"]
        for target in self.plan.targets:
            measure = ctx.measures[target.measure_id]
            value, _periods = achieved[target.measure_id]
            if value >= target.target_value and _periods:
                verdict = VERDICT_MET
            elif value >= target.target_value * Decimal("0.85"):
                verdict = VERDICT_PARTLY_MET
            else:
                verdict = VERDICT_NOT_MET
            judgements[measure.id] = verdict
            db.session.add(
                MeasureJudgement(
                    application_id=self.application.id,
                    measure_id=measure.id,
                    verdict=verdict,
                    comment=texts[verdict].format(
                        achieved=amount(measure.unit, value),
                        target=amount(measure.unit, target.target_value),
                    ),
                    judged_by_id=actor_id,
                    judged_at=when - timedelta(minutes=self.rng.randint(10, 90)),
                )
            )
        result = evaluate_award_rule(
            AwardRule.of(ctx.scheme),
            judgements,
            [(t.measure_id, ctx.measures[t.measure_id].is_core) for t in self.plan.targets],
            {m.id: m.code for m in ctx.measures.values()},
        )
        verified = sum(1 for s in self.sent if s.verified_at and s.verified_at < when)
        if trigger == "award_mark":
            reason = reason.format(
                share=int(result.share),
                minimum=int(ctx.scheme.award_min_share_met),
                returns=verified,
            )
        else:
            short = next(t for t in self.plan.targets if judgements[t.measure_id] != VERDICT_MET)
            measure = ctx.measures[short.measure_id]
            reason = reason.format(
                code=measure.code,
                achieved=amount(measure.unit, achieved[short.measure_id][0]),
                target=amount(measure.unit, short.target_value),
                wait=ctx.scheme.reapply_wait_days,
            )
        self.application.status = (
            APPLICATION_AWARDED if trigger == "award_mark" else APPLICATION_REFUSED
        )
        self.application.decided_at = when
        self.application.decided_by_id = actor_id
        self.application.rationale = reason
        return reason, {"award_failures": result.failures} if trigger == "award_mark" else {}
