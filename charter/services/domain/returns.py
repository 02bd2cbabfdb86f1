"""Monitoring returns: opening one per ended period, filling lines in, submitting, verifying.

Each return carries a version column: a submission, an edit and an assessor's decision racing
on the same return cannot all commit (the loser gets StaleDataError, a 409 page). Forms post
the version they were shown, so a decision made on an out-of-date page is refused too.
Functions add to the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import (
    ActionPlan,
    EvidenceFile,
    EvidenceLink,
    Measure,
    MonitoringReturn,
    Organisation,
    PlanTarget,
    ReturnLine,
    Scheme,
    User,
)
from charter.models.base import utcnow
from charter.models.monitoring import (
    LINE_ACCEPTED,
    LINE_PENDING,
    LINE_QUERIED,
    RETURN_DRAFT,
    RETURN_QUERIED,
    RETURN_SUBMITTED,
    RETURN_VERIFIED,
)
from charter.models.plan import PLAN_APPROVED, PLAN_SUPERSEDED
from charter.services.domain import periods
from charter.services.domain.plans import approved_plan
from charter.services.infrastructure.mail import email_members
from workflows import lifecycle
from workflows.lifecycle import TransitionRefused

# States in which an organisation with an approved plan keeps sending returns.
MONITORED_STATES = (
    lifecycle.MONITORING,
    lifecycle.UNDER_ASSESSMENT,
    lifecycle.INFORMATION_REQUESTED,
    lifecycle.ACCREDITED,
    lifecycle.RENEWAL_DUE,
)
ALREADY_DELIVERING = "already_delivering"
# Signed, plan not yet approved: when an "already delivering" organisation may send its
# retrospective first return.
RETROSPECTIVE_STATES = (lifecycle.SIGNATORY, lifecycle.PLAN_SUBMITTED)
WAITING_LIMIT = 100
LOCKED_MESSAGES = {
    RETURN_SUBMITTED: "You cannot change a return that is waiting for verification.",
    RETURN_VERIFIED: "You cannot change a return that has been verified.",
}


# --- opening returns ------------------------------------------------------------------------


def monitoring_start(organisation: Organisation) -> date | None:
    """The day the organisation's first plan was approved."""
    decided = db.session.scalar(
        select(func.min(ActionPlan.decided_at)).where(
            ActionPlan.organisation_id == organisation.id,
            ActionPlan.status.in_((PLAN_APPROVED, PLAN_SUPERSEDED)),
        )
    )
    return decided.date() if decided is not None else None


def _create_return(organisation, period, due, measure_ids, **fields) -> MonitoringReturn | None:
    """Add the return and its lines in a savepoint; None if another process made it first."""
    try:
        with db.session.begin_nested():
            monitoring_return = MonitoringReturn(
                organisation_id=organisation.id,
                period_start=period.start,
                period_end=period.end,
                due_date=due,
                status=RETURN_DRAFT,
                **fields,
            )
            db.session.add(monitoring_return)
            db.session.flush()
            for measure_id in measure_ids:
                db.session.add(ReturnLine(return_id=monitoring_return.id, measure_id=measure_id))
            db.session.flush()
    except IntegrityError:
        return None
    return monitoring_return


def ensure_returns(organisation: Organisation, today: date | None = None) -> list[MonitoringReturn]:
    """Open a draft return for every period that has ended since monitoring started and has
    none yet; safe to run twice or in two processes at once. Returns the ones it opened."""
    today = today or date.today()
    if organisation.status not in MONITORED_STATES:
        return []
    start = monitoring_start(organisation)
    plan = approved_plan(organisation)
    if start is None or plan is None:
        return []
    scheme = db.session.get(Scheme, plan.scheme_id)
    existing = set(
        db.session.scalars(
            select(MonitoringReturn.period_start).where(
                MonitoringReturn.organisation_id == organisation.id
            )
        )
    )
    missing = [
        p
        for p in periods.periods_between(start, today, scheme.monitoring_period_months)
        if p.start not in existing
    ]
    if not missing:
        return []
    measure_ids = list(
        db.session.scalars(
            select(PlanTarget.measure_id)
            .join(Measure, Measure.id == PlanTarget.measure_id)
            .where(PlanTarget.plan_id == plan.id)
            .order_by(Measure.position)
        )
    )
    opened = []
    for period in missing:
        due = periods.due_date(period.end, scheme.return_due_days)
        created = _create_return(organisation, period, due, measure_ids, plan_id=plan.id)
        if created is not None:
            opened.append(created)
    return opened


def can_start_retrospective(organisation: Organisation) -> bool:
    """An "already delivering" signatory may send one return for the period before its plan."""
    if organisation.route != ALREADY_DELIVERING or organisation.status not in RETROSPECTIVE_STATES:
        return False
    if organisation.scheme_id is None:
        return False
    return (
        db.session.scalar(
            select(MonitoringReturn.id)
            .where(MonitoringReturn.organisation_id == organisation.id)
            .limit(1)
        )
        is None
    )


def start_retrospective(organisation: Organisation, today: date | None = None) -> MonitoringReturn:
    today = today or date.today()
    if not can_start_retrospective(organisation):
        raise TransitionRefused(
            "Only an organisation that is already delivering social value can send a "
            "retrospective return, once, after signing the charter and before its action plan "
            "is approved."
        )
    scheme = db.session.get(Scheme, organisation.scheme_id)
    period = periods.most_recent_ended(today, scheme.monitoring_period_months)
    # Due a full due-period from now: the organisation may have signed long after it ended.
    due = max(
        periods.due_date(period.end, scheme.return_due_days),
        periods.due_date(today, scheme.return_due_days),
    )
    core_ids = list(
        db.session.scalars(
            select(Measure.id)
            .where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
            .order_by(Measure.position)
        )
    )
    created = _create_return(organisation, period, due, core_ids, is_retrospective=True)
    if created is None:
        raise TransitionRefused("Your retrospective return has already been started.")
    return created


# --- reading --------------------------------------------------------------------------------


def returns_of(organisation: Organisation) -> list[MonitoringReturn]:
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(MonitoringReturn.organisation_id == organisation.id)
            .order_by(MonitoringReturn.period_start.desc())
        )
    )


def return_for(organisation: Organisation, return_id: int) -> MonitoringReturn | None:
    return db.session.scalar(
        select(MonitoringReturn).where(
            MonitoringReturn.id == return_id, MonitoringReturn.organisation_id == organisation.id
        )
    )


def return_by_id(return_id: int) -> MonitoringReturn | None:
    return db.session.get(MonitoringReturn, return_id)


def lines_of(monitoring_return: MonitoringReturn) -> list[ReturnLine]:
    return list(
        db.session.scalars(
            select(ReturnLine)
            .join(Measure, Measure.id == ReturnLine.measure_id)
            .options(joinedload(ReturnLine.measure))
            .where(ReturnLine.return_id == monitoring_return.id)
            .order_by(Measure.position)
        )
    )


def line_for(monitoring_return: MonitoringReturn, measure_code: str) -> ReturnLine | None:
    return db.session.scalar(
        select(ReturnLine)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .options(joinedload(ReturnLine.measure))
        .where(ReturnLine.return_id == monitoring_return.id, Measure.code == measure_code)
    )


@dataclass
class Evidence:
    files: dict[int, list[EvidenceFile]]
    links: dict[int, list[EvidenceLink]]

    def count(self, line: ReturnLine) -> int:
        return len(self.files.get(line.id, [])) + len(self.links.get(line.id, []))


def evidence_for(lines: list[ReturnLine]) -> Evidence:
    """Every line's files and links in two queries."""
    ids = [line.id for line in lines]
    evidence = Evidence({i: [] for i in ids}, {i: [] for i in ids})
    if not ids:
        return evidence
    for file in db.session.scalars(
        select(EvidenceFile)
        .where(EvidenceFile.return_line_id.in_(ids))
        .order_by(EvidenceFile.uploaded_at, EvidenceFile.id)
    ):
        evidence.files[file.return_line_id].append(file)
    for link in db.session.scalars(
        select(EvidenceLink)
        .where(EvidenceLink.return_line_id.in_(ids))
        .order_by(EvidenceLink.added_at, EvidenceLink.id)
    ):
        evidence.links[link.return_line_id].append(link)
    return evidence


def targets_for(monitoring_return: MonitoringReturn) -> dict[int, PlanTarget]:
    """The plan's target for each measure, by measure id (none for a retrospective return)."""
    if monitoring_return.plan_id is None:
        return {}
    targets = db.session.scalars(
        select(PlanTarget).where(PlanTarget.plan_id == monitoring_return.plan_id)
    )
    return {t.measure_id: t for t in targets}


def is_overdue(monitoring_return: MonitoringReturn, today: date | None = None) -> bool:
    return monitoring_return.status in (RETURN_DRAFT, RETURN_QUERIED) and periods.is_overdue(
        monitoring_return.due_date, today or date.today()
    )


def summary(organisation: Organisation) -> dict[str, int]:
    """How many returns are in each status, for the dashboard."""
    rows = db.session.execute(
        select(MonitoringReturn.status, func.count(MonitoringReturn.id))
        .where(MonitoringReturn.organisation_id == organisation.id)
        .group_by(MonitoringReturn.status)
    ).all()
    counts = dict(rows)
    return {
        "due": counts.get(RETURN_DRAFT, 0) + counts.get(RETURN_QUERIED, 0),
        "waiting": counts.get(RETURN_SUBMITTED, 0),
        "verified": counts.get(RETURN_VERIFIED, 0),
    }


# --- filling in -----------------------------------------------------------------------------


def require_editable(monitoring_return: MonitoringReturn, line: ReturnLine | None = None) -> None:
    if monitoring_return.status in LOCKED_MESSAGES:
        raise TransitionRefused(LOCKED_MESSAGES[monitoring_return.status])
    if line is not None and line.review_status == LINE_ACCEPTED:
        raise TransitionRefused(
            f"The assessor has accepted {line.measure.code}, so you cannot change it. "
            "Answer the measures they queried."
        )


def _touch(monitoring_return: MonitoringReturn) -> None:
    """Bump the return's version, so an edit racing a submission or decision loses cleanly."""
    flag_modified(monitoring_return, "status")
    db.session.add(monitoring_return)


def check_version(monitoring_return: MonitoringReturn, posted: str | int | None) -> None:
    """The page the person acted on showed this version, or the change is refused."""
    if str(posted or "").strip() != str(monitoring_return.version_id):
        raise StaleDataError(
            f"return {monitoring_return.id} is at version {monitoring_return.version_id}"
        )


def save_line(
    monitoring_return: MonitoringReturn,
    line: ReturnLine,
    *,
    actual_value: Decimal,
    narrative: str,
    response: str | None,
) -> None:
    require_editable(monitoring_return, line)
    line.actual_value = actual_value
    line.narrative = narrative
    if line.review_status == LINE_QUERIED:
        line.response = response
    _touch(monitoring_return)


def add_link(monitoring_return, line, *, url: str, description: str, user: User) -> EvidenceLink:
    require_editable(monitoring_return, line)
    link = EvidenceLink(
        return_line_id=line.id, url=url, description=description, added_by_id=user.id
    )
    db.session.add(link)
    _touch(monitoring_return)
    return link


def evidence_file_for(monitoring_return, evidence_id: int) -> EvidenceFile | None:
    return db.session.scalar(
        select(EvidenceFile)
        .join(ReturnLine, ReturnLine.id == EvidenceFile.return_line_id)
        .where(EvidenceFile.id == evidence_id, ReturnLine.return_id == monitoring_return.id)
    )


def evidence_link_for(monitoring_return, link_id: int) -> EvidenceLink | None:
    return db.session.scalar(
        select(EvidenceLink)
        .join(ReturnLine, ReturnLine.id == EvidenceLink.return_line_id)
        .where(EvidenceLink.id == link_id, ReturnLine.return_id == monitoring_return.id)
    )


def line_by_id(line_id: int) -> ReturnLine | None:
    return db.session.scalar(
        select(ReturnLine).options(joinedload(ReturnLine.measure)).where(ReturnLine.id == line_id)
    )


def touch_for_evidence(monitoring_return: MonitoringReturn, line: ReturnLine) -> None:
    """Check the line may change before adding or removing a file, and bump the version."""
    require_editable(monitoring_return, line)
    _touch(monitoring_return)


def remove_link(monitoring_return, link: EvidenceLink, line: ReturnLine) -> None:
    require_editable(monitoring_return, line)
    db.session.delete(link)
    _touch(monitoring_return)


# --- submitting -----------------------------------------------------------------------------


def problems(lines: list[ReturnLine], evidence: Evidence) -> list[str]:
    """What stops the return being sent, one message per gap, in measure order."""
    found = []
    for line in lines:
        name = f"{line.measure.code}: {line.measure.title}"
        gaps = []
        if line.actual_value is None:
            gaps.append("enter the actual figure")
        if not (line.narrative or "").strip():
            gaps.append("say what you did")
        if evidence.count(line) == 0:
            gaps.append("add evidence (a file or a link)")
        if line.review_status == LINE_QUERIED and not (line.response or "").strip():
            gaps.append("respond to the assessor's query")
        if gaps:
            found.append(f"{name}: {', '.join(gaps)}")
    return found


def submit_return(
    organisation: Organisation, monitoring_return: MonitoringReturn, user: User, version
) -> None:
    require_editable(monitoring_return)
    check_version(monitoring_return, version)
    lines = lines_of(monitoring_return)
    gaps = problems(lines, evidence_for(lines))
    if gaps:
        raise TransitionRefused("You cannot send this return yet.", gaps)
    now = utcnow()
    monitoring_return.status = RETURN_SUBMITTED
    monitoring_return.submitted_at = now
    monitoring_return.submitted_by_id = user.id
    if monitoring_return.first_submitted_at is None:
        monitoring_return.first_submitted_at = now
    # Lateness is judged on the first submission: answering a query later is not late.
    monitoring_return.is_late = periods.is_late(
        monitoring_return.first_submitted_at, monitoring_return.due_date
    )
    for line in lines:
        if line.review_status == LINE_QUERIED:
            line.review_status = LINE_PENDING
    db.session.flush()
    tell_members(
        organisation,
        monitoring_return,
        f"{organisation.name}: monitoring return sent for verification",
        "return-submitted",
        submitted_by=user,
    )


def tell_members(organisation, monitoring_return, subject: str, template: str, **context):
    return_url = url_for(
        "organisation.show_return",
        slug=organisation.slug,
        return_id=monitoring_return.id,
        _external=True,
    )
    period = periods.Period(monitoring_return.period_start, monitoring_return.period_end)
    email_members(
        organisation,
        subject,
        template,
        monitoring_return=monitoring_return,
        period_label=period.label,
        return_url=return_url,
        **context,
    )
