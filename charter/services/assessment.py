"""The assessor's side of a Charter Mark application: what is assessed, and the decisions.

An application is judged on its snapshot (taken when it was made), never on live data, so later
edits by the organisation cannot change what was assessed. Every decision names the version of
the application the assessor saw; a decision made on an out-of-date page is refused
(StaleDataError), and the version column makes two decisions racing to commit fail the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from charter.extensions import db
from charter.models import Organisation, Scheme, User
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
from charter.models.scheme import UNITS, Measure
from charter.services import marks
from charter.services.award_rule import AwardRule, AwardRuleResult, evaluate_award_rule
from charter.services.lifecycle import actor_for, is_member, transition
from charter.services.mail import email_members, queue_email
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


# --- reading the snapshot ---------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


@dataclass(frozen=True)
class SnapshotEvidence:
    kind: str  # file | link
    name: str
    file_id: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class SnapshotActual:
    period_start: date | None
    period_end: date | None
    value: Decimal | None


@dataclass(frozen=True)
class SnapshotMeasure:
    measure_id: int
    code: str
    title: str
    unit: str
    is_core: bool
    baseline: Decimal | None
    target_value: Decimal | None
    target_date: date | None
    achieved: Decimal
    periods: int
    is_met: bool
    actuals: list[SnapshotActual] = field(default_factory=list)
    evidence: list[SnapshotEvidence] = field(default_factory=list)

    @property
    def unit_label(self) -> str:
        return UNITS.get(self.unit, self.unit)

    def amount(self, value: Decimal | None) -> str:
        """A figure with its unit, as people write it: £1,250 or 12.5 FTE."""
        if value is None:
            return "Not given"
        if self.unit == "GBP":
            return f"£{value:,.2f}".removesuffix(".00")
        text = f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"
        return f"{text}%" if self.unit == "percent" else f"{text} {self.unit_label}"


def _one_evidence(kind: str, entry: dict) -> SnapshotEvidence:
    name = (
        entry.get("name")
        or entry.get("original_name")
        or entry.get("description")
        or entry.get("url")
        or "Evidence"
    )
    file_id = entry.get("id") if kind == "file" else None
    url = entry.get("url") if kind == "link" else None
    return SnapshotEvidence(kind=kind, name=str(name), file_id=file_id, url=url)


def _evidence_of(entry: dict) -> list[SnapshotEvidence]:
    found = []
    for item in entry.get("evidence") or ():
        found.append(_one_evidence(item.get("kind") or "file", item))
    found += [_one_evidence("file", item) for item in entry.get("evidence_files") or ()]
    found += [_one_evidence("link", item) for item in entry.get("evidence_links") or ()]
    return found


def _returns_by_measure(snapshot: dict) -> dict[int, list[tuple[SnapshotActual, list]]]:
    """The verified figures and their evidence, per measure, from the snapshot's returns."""
    found: dict[int, list[tuple[SnapshotActual, list]]] = {}
    verified = snapshot.get("verified_returns")
    for monitoring_return in verified if isinstance(verified, list) else ():
        start = _date(monitoring_return.get("period_start"))
        end = _date(monitoring_return.get("period_end"))
        for line in monitoring_return.get("lines") or ():
            actual = SnapshotActual(start, end, _decimal(line.get("actual")))
            found.setdefault(int(line["measure_id"]), []).append((actual, _evidence_of(line)))
    return found


def verified_return_count(application: Application) -> int | None:
    verified = (application.snapshot or {}).get("verified_returns")
    if isinstance(verified, list):
        return len(verified)
    return verified if isinstance(verified, int) else None


def snapshot_measures(application: Application) -> list[SnapshotMeasure]:
    """Each target in the snapshot with the progress, figures and evidence recorded with it."""
    snapshot = application.snapshot or {}
    targets = snapshot.get("targets") or snapshot.get("measures") or []
    progress = {int(p["measure_id"]): p for p in snapshot.get("progress") or ()}
    returned = _returns_by_measure(snapshot)
    measures = []
    for target in targets:
        measure_id = int(target["measure_id"])
        item = {**progress.get(measure_id, {}), **target}
        achieved = _decimal(item.get("achieved")) or Decimal(0)
        target_value = _decimal(item.get("target_value"))
        periods = int(item.get("periods") or 0)
        is_met = item.get("is_met")
        if is_met is None:
            is_met = periods > 0 and target_value is not None and achieved >= target_value
        actuals = [
            SnapshotActual(
                _date(actual.get("period_start")),
                _date(actual.get("period_end")),
                _decimal(actual.get("value")),
            )
            for actual in item.get("actuals") or ()
        ]
        evidence = _evidence_of(item)
        for actual, line_evidence in returned.get(measure_id, []):
            actuals.append(actual)
            evidence += line_evidence
        measures.append(
            SnapshotMeasure(
                measure_id=measure_id,
                code=str(item.get("code") or f"Measure {measure_id}"),
                title=str(item.get("title") or ""),
                unit=str(item.get("unit") or ""),
                is_core=bool(item.get("is_core")),
                baseline=_decimal(item.get("baseline")),
                target_value=target_value,
                target_date=_date(item.get("target_date")),
                achieved=achieved,
                periods=periods,
                is_met=bool(is_met),
                actuals=actuals,
                evidence=evidence,
            )
        )
    return measures


def snapshot_contracts(application: Application) -> list[dict]:
    contracts = []
    for item in (application.snapshot or {}).get("contracts") or ():
        contracts.append(
            {
                "title": item.get("title") or "",
                "reference": item.get("reference"),
                "commissioner": item.get("commissioner") or item.get("commissioner_name") or "",
                "value": _decimal(item.get("value")),
                "start_date": _date(item.get("start_date")),
                "end_date": _date(item.get("end_date")),
            }
        )
    return contracts


# --- what the assessor sees -------------------------------------------------------------------


@dataclass(frozen=True)
class SocialValue:
    measure: SnapshotMeasure
    proxy: Decimal | None
    value: Decimal | None

    @property
    def proxy_text(self) -> str:
        if self.proxy is None:
            return "No proxy value set"
        unit = PROXY_UNIT_WORDS.get(self.measure.unit, self.measure.unit)
        return f"£{self.proxy:,.2f} per {unit} (the scheme's proxy value)"


def waiting_applications() -> list[tuple[Application, Organisation]]:
    """Applications with the assessors, oldest first, each with its organisation: one query."""
    rows = db.session.execute(
        select(Application, Organisation)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(Application.status.in_(WAITING_STATUSES))
        .order_by(Application.submitted_at, Application.id)
    ).all()
    return [tuple(row) for row in rows]


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


def social_value(measures: list[SnapshotMeasure]) -> tuple[list[SocialValue], Decimal]:
    """Achieved × the scheme's proxy, only where the scheme sets one: never an invented proxy."""
    ids = [m.measure_id for m in measures]
    proxies = dict(
        db.session.execute(select(Measure.id, Measure.proxy_value).where(Measure.id.in_(ids))).all()
    )
    rows = []
    for measure in measures:
        proxy = proxies.get(measure.measure_id)
        value = (measure.achieved * proxy).quantize(Decimal("0.01")) if proxy is not None else None
        rows.append(SocialValue(measure, proxy, value))
    total = sum((row.value for row in rows if row.value is not None), Decimal(0))
    return rows, total


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


def check_version(application: Application, posted) -> None:
    """The page the assessor acted on showed this version, or the decision is refused."""
    if str(posted or "").strip() != str(application.version_id):
        raise StaleDataError(f"application {application.id} is at version {application.version_id}")


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
    _tell_members(
        organisation,
        f"{organisation.name}: the assessor has asked for more information",
        "assessment-information-requested",
        questions=questions,
    )
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
    _tell_members(
        organisation,
        f"{organisation.name}: your application for the Charter Mark has been refused",
        "assessment-refused",
        reasons=reasons,
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
        queue_email(
            first_assessor.email,
            f"{organisation.name}: your award was sent back by the moderator",
            "assessment-sent-back",
            recipient=first_assessor,
            organisation=organisation,
            moderator=moderator,
            reasons=reasons,
            review_url=url_for(
                "assessor.review_application", application_id=application.id, _external=True
            ),
        )
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
    mark = marks.create_mark(organisation, application, scheme, awarded_on=now.date())
    db.session.flush()
    _tell_members(
        organisation,
        f"{organisation.name}: you have been awarded the Charter Mark",
        "assessment-awarded",
        mark=mark,
        rationale=rationale,
    )
    return mark


def _tell_members(organisation: Organisation, subject: str, template: str, **context) -> None:
    dashboard_url = url_for("organisation.show_dashboard", slug=organisation.slug, _external=True)
    email_members(
        organisation,
        subject,
        template,
        dashboard_url=dashboard_url,
        **context,
    )
