"""Demo monitoring returns: one per period ended since the plan was approved, as
charter.services.domain.returns.ensure_returns would have opened them, filled in and decided the way
the service records it (due dates from the scheme, lateness judged on the first submission).

Rows are made directly rather than through the HTTP flow, so the times can be back-dated.

Most returns are drawn at random, so which ones are waiting, queried or not sent yet depends on
the day the demo is built. A few organisations carry a fixed story instead (``latest_return``
in organisations.toml), so that on every date there is a return to send, exactly one waiting
for the assessor at a given organisation, and one queried (STORIES).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from charter.demo.contract_figures import ContractFigures
from charter.demo.evidence_files import simple_pdf, spend_report_csv
from charter.extensions import db
from charter.models import EvidenceLink, MonitoringReturn, ReturnLine
from charter.models.monitoring import (
    LINE_ACCEPTED,
    LINE_QUERIED,
    RETURN_DRAFT,
    RETURN_QUERIED,
    RETURN_SUBMITTED,
    RETURN_VERIFIED,
)
from charter.services.domain import periods
from charter.services.domain.progress import LATEST_VALUE_UNITS
from charter.services.infrastructure.evidence import store_evidence


@dataclass
class Profile:
    """How an organisation's figures run: on track to meet its targets after
    ``periods_to_target`` periods, or not yet; ``shortfalls`` keeps a measure (by code) below
    its target in periods ending on or after a date."""

    on_track: bool
    periods_to_target: int
    shortfalls: dict[str, date] = field(default_factory=dict)


# The fixed stories an organisation's latest returns can tell, whatever the date:
# - "to send": its latest return is not sent yet, while that leaves it in good standing (on the
#   few days a quarter when it would already have lapsed, the return was sent);
# - "waiting": exactly one return sent and waiting for the assessor (the latest, or the one
#   before when the latest period ended less than two days ago), every other one verified;
# - "queried": the return before the latest one was queried by the assessor and not answered.
STORY_TO_SEND = "to send"
STORY_WAITING = "waiting"
STORY_QUERIED = "queried"
STORIES = (STORY_TO_SEND, STORY_WAITING, STORY_QUERIED)


@dataclass
class Schedule:
    start: datetime  # the plan was approved
    until: datetime  # the last moment the organisation was monitored (now, if it still is)
    apply_at: datetime | None = None  # returns before this are verified in time to apply
    lapsed_at: datetime | None = None  # lapsed for a missed return
    story: str | None = None  # one of STORIES, for an organisation still monitored


@dataclass
class Sent:
    """A generated return and its figures by measure id, for judging and snapshots later."""

    monitoring_return: MonitoringReturn
    status: str
    verified_at: datetime | None
    values: dict[int, Decimal]
    lines: list[ReturnLine]


def clock(rng, day: date) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))


def amount(unit: str, value: Decimal) -> str:
    if unit == "GBP":
        return f"£{value:,.0f}"
    if unit == "percent":
        return f"{value:,.0f}%"
    text = f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return f"{text} FTE" if unit == "FTE" else f"{text} {unit}"


class ReturnsBuilder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rng = ctx.rng
        self.scheme = ctx.scheme

    def build(
        self, organisation, owner, plan, schedule: Schedule, profile: Profile, contracts=()
    ) -> list[Sent]:
        ctx, rng = self.ctx, self.rng
        months = self.scheme.monitoring_period_months
        ended = periods.periods_between(schedule.start.date(), schedule.until.date(), months)
        targets = sorted(plan.targets, key=lambda t: ctx.measures[t.measure_id].position)
        missed_from = self._missed_from(ended, schedule)
        still_monitored = schedule.until >= ctx.now
        sent: list[Sent] = []
        story = schedule.story if still_monitored else None
        for index, period in enumerate(ended):
            due = periods.due_date(period.end, self.scheme.return_due_days)
            monitoring_return = MonitoringReturn(
                organisation_id=organisation.id,
                signing_id=plan.signing_id,
                plan_id=plan.id,
                period_start=period.start,
                period_end=period.end,
                due_date=due,
                status=RETURN_DRAFT,
                created_at=datetime.combine(period.end + timedelta(days=1), time(2, 0)),
            )
            values = {t.measure_id: self._value(t, index, profile, period.end) for t in targets}
            times = self._times(period, schedule, index, missed_from)
            last = index == len(ended) - 1
            forced = (
                schedule.apply_at is not None
                and times is not None
                and (times[0] < schedule.apply_at)
            )
            if story is not None:
                times = self._story_times(story, ended, index, times)
            elif last and still_monitored and times is not None and not forced:
                # The latest return is still being written, or waiting for the assessor.
                overdue_days = (ctx.now.date() - due).days
                if overdue_days < 30 and rng.random() < 0.5:
                    times = None
                else:
                    times = (times[0], times[1], None)
            lines = [ReturnLine(measure_id=t.measure_id, review_status="pending") for t in targets]
            monitoring_return.lines = lines
            if times is None:
                # Not sent: the latest one is part-filled if the organisation is still at it.
                filled = rng.randint(0, len(lines)) if (last and still_monitored) else 0
                for line in lines[:filled]:
                    self._fill(line, values[line.measure_id])
                sent.append(Sent(monitoring_return, RETURN_DRAFT, None, values, lines))
                continue
            first_sent, sent_at, decided_at = times
            for line in lines:
                self._fill(line, values[line.measure_id])
            monitoring_return.first_submitted_at = first_sent
            monitoring_return.submitted_at = sent_at
            monitoring_return.submitted_by_id = owner.id
            monitoring_return.is_late = periods.is_late(first_sent, due)
            status = RETURN_SUBMITTED
            if first_sent != sent_at:  # queried once, answered, then verified
                lines[0].response = rng.choice(ctx.texts["queries"]["responses"])
            if decided_at is not None:
                if story is not None:
                    queried = story == STORY_QUERIED and index == len(ended) - 2
                else:
                    queried = (
                        still_monitored
                        and index == len(ended) - 2
                        and first_sent == sent_at
                        and not forced
                        and rng.random() < 0.3
                    )
                status = RETURN_QUERIED if queried else RETURN_VERIFIED
                for line in lines:
                    line.review_status = LINE_ACCEPTED
                if queried:
                    lines[0].review_status = LINE_QUERIED
                    lines[0].assessor_comment = rng.choice(ctx.texts["queries"]["comments"])
                    if rng.random() < 0.5:  # they have started answering
                        lines[0].response = rng.choice(ctx.texts["queries"]["responses"])
                else:
                    monitoring_return.verified_at = decided_at
                    monitoring_return.verified_by_id = rng.choice(ctx.assessors).id
            monitoring_return.status = status
            verified_at = decided_at if status == RETURN_VERIFIED else None
            sent.append(Sent(monitoring_return, status, verified_at, values, lines))
        db.session.add_all(s.monitoring_return for s in sent)
        if sent:
            db.session.flush()  # line ids, for the evidence
        figures = ContractFigures(organisation, list(contracts), ctx)
        figures.confirm(schedule)
        for item in sent:
            figures.split(item)
            if item.status != RETURN_DRAFT:
                self._evidence(organisation, owner, item)
        return sent

    # --- when ---------------------------------------------------------------------------------

    def _missed_from(self, ended, schedule: Schedule) -> int | None:
        """The first return never sent by an organisation that lapsed for missing it."""
        if schedule.lapsed_at is None or not ended:
            return None
        grace = self.scheme.grace_period_days
        lapsed_on = schedule.lapsed_at.date()
        for index in range(len(ended) - 1, -1, -1):
            due = periods.due_date(ended[index].end, self.scheme.return_due_days)
            if due + timedelta(days=grace) <= lapsed_on:
                return index
        return 0

    def _times(self, period, schedule: Schedule, index: int, missed_from: int | None):
        """(first submitted, last submitted, decided) or None if never sent."""
        rng, now = self.rng, self.ctx.now
        if missed_from is not None and index >= missed_from:
            return None
        apply_at = schedule.apply_at
        if apply_at is not None and period.end < (apply_at - timedelta(days=10)).date():
            # Verified in time for the application: the scheme asks for verified returns.
            latest = (apply_at - timedelta(days=6)).date()
            sent_on = period.end + timedelta(
                days=rng.randint(2, max(2, min(35, (latest - period.end).days)))
            )
            decided_on = sent_on + timedelta(
                days=rng.randint(1, max(1, min(14, (apply_at.date() - sent_on).days - 2)))
            )
            sent_at = clock(rng, sent_on)
            return sent_at, sent_at, clock(rng, decided_on)
        sent_at = clock(rng, period.end + timedelta(days=rng.randint(3, 45)))
        if sent_at >= min(now, schedule.until):
            return None
        first_sent = sent_at
        if rng.random() < 0.15:  # queried, answered and sent again
            sent_at = first_sent + timedelta(days=rng.randint(5, 20), hours=rng.randint(0, 5))
            if sent_at >= min(now, schedule.until):
                sent_at = first_sent
        decided_at = sent_at + timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 6))
        return first_sent, sent_at, (decided_at if decided_at < now else None)

    def _story_times(self, story: str, ended, index: int, times):
        """(first submitted, last submitted, decided) for an organisation with a fixed story
        (STORIES): its last two returns are made to tell it; earlier ones are verified."""
        rng, now = self.rng, self.ctx.now
        latest = len(ended) - 1
        period = ended[index]
        due = periods.due_date(period.end, self.scheme.return_due_days)
        if index < latest - 1 or (story == STORY_TO_SEND and index < latest):
            return self._verified_times(period)
        sanction = periods.sanction_date(due, self.scheme.grace_period_days)
        if story == STORY_TO_SEND:
            return None if now.date() < sanction else times
        if story == STORY_QUERIED:
            if index == latest:
                return times if times is None else (times[0], times[1], None)
            return self._verified_times(period)  # then queried rather than verified
        # STORY_WAITING: the latest return is sent and waiting, unless its period ended less
        # than two days ago: then it is not sent yet and the one before is waiting.
        fresh = (now.date() - ended[latest].end).days < 2
        waiting = latest - 1 if fresh else latest
        if index != waiting:
            return None if index == latest else self._verified_times(period)
        first_day = period.end + timedelta(days=1)
        last_day = min(due, (now - timedelta(days=1)).date())
        sent_at = clock(
            rng, first_day + timedelta(days=rng.randint(0, (last_day - first_day).days))
        )
        return sent_at, sent_at, None

    def _verified_times(self, period):
        """Sent on time and decided within a fortnight: a return long settled."""
        sent_at = clock(self.rng, period.end + timedelta(days=self.rng.randint(3, 20)))
        return sent_at, sent_at, sent_at + timedelta(days=self.rng.randint(2, 10))

    # --- what -----------------------------------------------------------------------------------

    def _value(self, target, index: int, profile: Profile, period_end: date) -> Decimal:
        rng = self.rng
        measure = self.ctx.measures[target.measure_id]
        goal, baseline = target.target_value, target.baseline
        short_from = profile.shortfalls.get(measure.code)
        short = short_from is not None and period_end >= short_from
        k = max(1, profile.periods_to_target)
        if measure.unit not in LATEST_VALUE_UNITS:
            # A flow target is annual: on track means reaching it within each plan year.
            k = min(k, max(1, 12 // self.scheme.monitoring_period_months))
        if measure.unit in LATEST_VALUE_UNITS:
            step = Decimal(1) if measure.unit == "percent" else Decimal("0.5")
            if profile.on_track and not short:
                if index + 1 >= k:
                    bump = rng.randint(0, 3) if measure.unit == "percent" else rng.randint(0, 2)
                    value = goal + bump
                else:
                    value = baseline + (goal - baseline) * (index + 1) / k
            else:
                value = baseline + (goal - baseline) * Decimal(str(rng.uniform(0.2, 0.8)))
                value = min(value, goal - step)
            if measure.unit == "percent":
                return Decimal(max(0, min(100, math.floor(value))))
            return max(Decimal(0), Decimal(value).quantize(Decimal("0.1")))
        if profile.on_track and not short:
            raw = float(goal) / k * rng.uniform(1.02, 1.2)
            value = math.ceil(raw / 10) * 10 if measure.unit == "GBP" else math.ceil(raw)
        else:
            raw = float(goal) * rng.uniform(0.1, 0.2)
            value = round(raw / 10) * 10 if measure.unit == "GBP" else max(1, round(raw))
        return Decimal(value)

    def _fill(self, line: ReturnLine, value: Decimal) -> None:
        measure = self.ctx.measures[line.measure_id]
        line.actual_value = value
        template = self.rng.choice(self.ctx.texts["narratives"][measure.code])
        line.narrative = template.format(value=amount(measure.unit, value))

    def _evidence(self, organisation, owner, item: Sent) -> None:
        ctx = self.ctx
        monitoring_return = item.monitoring_return
        added_at = monitoring_return.first_submitted_at - timedelta(hours=1)
        month = monitoring_return.period_start.strftime("%Y-%m")
        links = []
        for line in item.lines:
            measure = ctx.measures[line.measure_id]
            description, stem = ctx.texts["evidence"][measure.code]
            links.append(
                EvidenceLink(
                    return_line_id=line.id,
                    url=f"https://example.org/{organisation.slug}/{month}/{stem}.pdf",
                    description=f"{description}, {monitoring_return.period_start:%B %Y} quarter",
                    added_by_id=owner.id,
                    added_at=added_at,
                )
            )
        db.session.add_all(links)
        ctx.counts["evidence links"] += len(links)
        if ctx.files_left > 0 and item.status == RETURN_VERIFIED:
            ctx.files_left -= 1
            self._evidence_file(organisation, owner, item, added_at)

    def _evidence_file(self, organisation, owner, item: Sent, added_at: datetime) -> None:
        """One real stored file: a supplier spend CSV for LE1, or a PDF summary."""
        ctx = self.ctx
        by_code = {ctx.measures[line.measure_id].code: line for line in item.lines}
        monitoring_return = item.monitoring_return
        if "LE1" in by_code:
            line = by_code["LE1"]
            name = f"local-spend-{monitoring_return.period_start:%Y-%m}.csv"
            data = spend_report_csv(self.rng, item.values[line.measure_id])
        else:
            line = item.lines[0]
            name = f"evidence-{monitoring_return.period_start:%Y-%m}.pdf"
            data = simple_pdf(f"{organisation.name}: {ctx.measures[line.measure_id].title}")
        upload = FileStorage(stream=io.BytesIO(data), filename=name)
        evidence = store_evidence(upload, organisation=organisation, line=line, user=owner)
        evidence.uploaded_at = added_at
        ctx.counts["evidence files"] += 1
