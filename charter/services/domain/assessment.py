"""The assessor's side of a Charter Mark application: what is assessed, and the decisions.

An application is judged on its snapshot (taken when it was made), never on live data, so later
edits by the organisation cannot change what was assessed. Every decision names the version of
the application the assessor saw; a decision made on an out-of-date page is refused
(charter.services.domain.versions.Stale), and the version column makes two decisions racing
to commit fail the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from charter.extensions import db
from charter.formatting import format_date, format_money
from charter.models import Organisation, Scheme, Signing, User
from charter.models.assessment import (
    APPLICATION_AWAITING_MODERATION,
    APPLICATION_AWARDED,
    APPLICATION_INFORMATION_REQUESTED,
    APPLICATION_OPEN,
    APPLICATION_REFUSED,
    VERDICTS,
    Application,
    CharterMark,
    InformationRequest,
    MeasureJudgement,
)
from charter.models.base import utcnow
from charter.models.monitoring import EvidenceFile
from charter.services import notices
from charter.services.domain import marks, signings
from charter.services.domain.award_rule import AwardRule, AwardRuleResult, evaluate_award_rule
from charter.services.domain.lifecycle import actor_for, is_member, transition
from charter.services.domain.snapshots import SnapshotMeasure, snapshot_measures
from charter.services.domain.versions import check_version
from workflows.lifecycle import Forbidden, TransitionRefused

WAITING_STATUSES = (APPLICATION_OPEN, APPLICATION_AWAITING_MODERATION)
JUDGEABLE_STATUSES = (APPLICATION_OPEN, APPLICATION_INFORMATION_REQUESTED)
PROXY_UNIT_WORDS = {
    "GBP": "£",
    "FTE": "FTE",
    "weeks": "week",
    "hours": "hour",
    "percent": "percentage point",
    "count": "unit",
}


# --- what the assessor sees -------------------------------------------------------------------


@dataclass(frozen=True)
class SocialValue:
    measure: SnapshotMeasure
    proxy: Decimal | None
    value: Decimal | None
    in_force_on: date | None = None  # the day the snapshot read the proxy value

    @property
    def proxy_text(self) -> str:
        day = f" on {format_date(self.in_force_on)}" if self.in_force_on else ""
        if self.proxy is None:
            return f"No proxy value in force{day}"
        unit = PROXY_UNIT_WORDS.get(self.measure.unit, self.measure.unit)
        return f"{format_money(self.proxy)} per {unit}, in force{day}"


def waiting_applications(
    search: str = "", district: str = ""
) -> list[tuple[Application, Organisation]]:
    """Applications with the assessors, oldest first, each with its organisation: one query.
    The work list's name search and district filter narrow these as they do plans and returns."""
    conditions = [Application.status.in_(WAITING_STATUSES)]
    if search:
        escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(Organisation.name).like(f"%{escaped}%", escape="\\"))
    if district:
        conditions.append(Organisation.district == district)
    rows = db.session.execute(
        select(Application, Organisation)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .join(Signing, Signing.id == Application.signing_id)
        .where(*conditions, signings.in_acting_charter())
        .order_by(Application.submitted_at, Application.id)
    ).all()
    return [tuple(row) for row in rows]


def districts_waiting() -> list[str]:
    return list(
        db.session.scalars(
            select(Organisation.district)
            .join(Application, Application.organisation_id == Organisation.id)
            .join(Signing, Signing.id == Application.signing_id)
            .where(Application.status.in_(WAITING_STATUSES), signings.in_acting_charter())
            .distinct()
        )
    )


def application_by_id(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def judgements_of(application: Application) -> dict[int, MeasureJudgement]:
    return {
        j.measure_id: j
        for j in db.session.scalars(
            select(MeasureJudgement).where(MeasureJudgement.application_id == application.id)
        )
    }


def award_rule_result(application: Application, scheme: Scheme) -> AwardRuleResult:
    measures = snapshot_measures(application)
    verdicts = {measure_id: j.verdict for measure_id, j in judgements_of(application).items()}
    return evaluate_award_rule(
        AwardRule.of(scheme),
        verdicts,
        [(m.measure_id, m.is_core) for m in measures],
        {m.measure_id: m.code for m in measures},
    )


def social_value(
    measures: list[SnapshotMeasure], snapshot: dict
) -> tuple[list[SocialValue], Decimal]:
    """Achieved × the proxy value the snapshot recorded as in force on the day the organisation
    applied, for every measure that had one (as /impact monetises verified figures with the
    values in force): a proxy changed since never changes an application's figures."""
    proxies = {
        row["measure_id"]: (Decimal(row["proxy_value"]), _snapshot_day(row.get("in_force_on")))
        for row in snapshot.get("proxy_values", [])
        if row.get("proxy_value") not in (None, "None")
    }
    taken_on = _snapshot_day(snapshot.get("taken_at"))
    rows = []
    for measure in measures:
        proxy, in_force_on = proxies.get(measure.measure_id, (None, None))
        value = (measure.achieved * proxy).quantize(Decimal("0.01")) if proxy is not None else None
        rows.append(SocialValue(measure, proxy, value, in_force_on or taken_on))
    total = sum((row.value for row in rows if row.value is not None), Decimal(0))
    return rows, total


def _snapshot_day(text) -> date | None:
    try:
        return datetime.fromisoformat(str(text)).date() if text else None
    except ValueError:
        return None


def existing_evidence_files(measures: list[SnapshotMeasure]) -> set[int]:
    """Evidence files named in the snapshot that still exist (so can be downloaded)."""
    ids = {e.file_id for m in measures for e in m.evidence if e.file_id is not None}
    if not ids:
        return set()
    return set(db.session.scalars(select(EvidenceFile.id).where(EvidenceFile.id.in_(ids))))


def information_requests(application: Application) -> list[InformationRequest]:
    return list(
        db.session.scalars(
            select(InformationRequest)
            .where(InformationRequest.application_id == application.id)
            .order_by(InformationRequest.requested_at, InformationRequest.id)
        )
    )


# --- the decisions ----------------------------------------------------------------------------


def organisation_of(application: Application) -> Organisation:
    return db.session.get(Organisation, application.organisation_id)


def _require_not_member(assessor: User, organisation: Organisation) -> None:
    if is_member(assessor, organisation):
        raise Forbidden("You cannot assess an organisation you are a member of.")


def _require_open(application: Application) -> None:
    if application.status != APPLICATION_OPEN:
        raise TransitionRefused(
            f"This application is not waiting for a decision: it is ‘{application.status_label}’."
        )


def judge_measure(
    application: Application, assessor: User, measure_id: int, verdict: str, comment: str
) -> MeasureJudgement:
    organisation = organisation_of(application)
    _require_not_member(assessor, organisation)
    if application.status not in JUDGEABLE_STATUSES:
        raise TransitionRefused(
            f"You cannot judge measures on this application: it is ‘{application.status_label}’."
        )
    if verdict not in VERDICTS:
        raise TransitionRefused("Select whether the measure is met, partly met or not met.")
    if measure_id not in {m.measure_id for m in snapshot_measures(application)}:
        raise TransitionRefused("That measure is not part of this application.")
    judgement = judgements_of(application).get(measure_id)
    if judgement is None:
        judgement = MeasureJudgement(application_id=application.id, measure_id=measure_id)
        db.session.add(judgement)
    judgement.verdict = verdict
    judgement.comment = comment
    judgement.judged_by_id = assessor.id
    judgement.judged_at = utcnow()
    db.session.flush()
    return judgement


def request_information(
    application: Application, assessor: User, questions: str, version
) -> InformationRequest:
    organisation = organisation_of(application)
    _require_not_member(assessor, organisation)
    check_version(application, version)
    _require_open(application)
    transition(
        organisation, "request_information", actor_for(assessor, organisation), reason=questions
    )
    request = InformationRequest(
        application_id=application.id, questions=questions, requested_by_id=assessor.id
    )
    db.session.add(request)
    application.status = APPLICATION_INFORMATION_REQUESTED
    db.session.flush()
    notices.assessment.information_requested(organisation, questions)
    return request


def refuse(application: Application, assessor: User, reasons: str, version) -> None:
    organisation = organisation_of(application)
    _require_not_member(assessor, organisation)
    check_version(application, version)
    _require_open(application)
    scheme = db.session.get(Scheme, application.scheme_id)
    transition(organisation, "refuse_mark", actor_for(assessor, organisation), reason=reasons)
    now = utcnow()
    application.status = APPLICATION_REFUSED
    application.decided_at = now
    application.decided_by_id = assessor.id
    application.rationale = reasons
    db.session.flush()
    today = now.date()
    notices.assessment.refused(
        organisation,
        reasons,
        reapply_on=today + timedelta(days=scheme.reapply_wait_days),
        appeal_by=today + timedelta(days=scheme.appeal_window_days),
    )


def award(application: Application, assessor: User, rationale: str, version) -> CharterMark | None:
    """Award the mark, or send the award for moderation when the scheme asks for it.

    Returns the new mark, or None when the award is waiting for a second assessor.
    """
    organisation = organisation_of(application)
    check_version(application, version)
    _require_open(application)
    scheme = db.session.get(Scheme, application.scheme_id)
    if not scheme.moderation_required:
        return _award_now(application, organisation, scheme, assessor, rationale)
    # The same checks the machine makes at award, made now so a doomed award is not moderated.
    _require_not_member(assessor, organisation)
    result = award_rule_result(application, scheme)
    if not result.holds:
        raise TransitionRefused("The award rule does not hold.", result.failures)
    application.status = APPLICATION_AWAITING_MODERATION
    application.decided_at = utcnow()
    application.decided_by_id = assessor.id
    application.rationale = rationale
    db.session.flush()
    return None


def moderate(
    application: Application, moderator: User, *, confirm: bool, reasons: str, version
) -> CharterMark | None:
    """A second assessor confirms the award (and it is made) or sends it back (reopened)."""
    organisation = organisation_of(application)
    _require_not_member(moderator, organisation)
    if application.status != APPLICATION_AWAITING_MODERATION:
        raise TransitionRefused(
            f"This application is not waiting for moderation: it is ‘{application.status_label}’."
        )
    if application.decided_by_id == moderator.id:
        raise Forbidden("A different assessor must moderate this award.")
    check_version(application, version)
    if confirm:
        scheme = db.session.get(Scheme, application.scheme_id)
        first_assessor = db.session.get(User, application.decided_by_id)
        mark = _award_now(
            application,
            organisation,
            scheme,
            moderator,
            application.rationale or "",
            decided_by=first_assessor,
        )
        application.moderated_at = utcnow()
        application.moderated_by_id = moderator.id
        return mark
    first_assessor = db.session.get(User, application.decided_by_id)
    application.status = APPLICATION_OPEN
    application.decided_at = None
    application.decided_by_id = None
    db.session.flush()
    if first_assessor is not None:
        notices.assessment.sent_back(first_assessor, organisation, application, moderator, reasons)
    return None


def _award_now(
    application: Application,
    organisation: Organisation,
    scheme: Scheme,
    assessor: User,
    rationale: str,
    decided_by: User | None = None,
) -> CharterMark:
    result = award_rule_result(application, scheme)
    transition(
        organisation,
        "award_mark",
        actor_for(assessor, organisation),
        reason=rationale,
        award_failures=result.failures,
    )
    now = utcnow()
    application.status = APPLICATION_AWARDED
    application.decided_at = application.decided_at if decided_by else now
    application.decided_by_id = (decided_by or assessor).id
    application.rationale = rationale
    runs_from = marks.renewal_runs_from(organisation, scheme, now.date())
    mark = marks.create_mark(organisation, application, scheme, awarded_on=now.date())
    db.session.flush()
    notices.assessment.awarded(
        organisation, mark, rationale, runs_from=runs_from, validity_months=scheme.validity_months
    )
    return mark
