"""Applications for the Charter Mark, answers to assessors' questions, and appeals.

An application is judged on a snapshot of the evidence taken when it was made: plain JSON (no
Decimals, no dates), so later edits to returns or contracts cannot change what was assessed.
Functions add to the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update

from charter.extensions import db
from charter.formatting import format_date
from charter.models import AuditEvent, Organisation, Scheme, User
from charter.models.assessment import (
    APPEAL_DISMISSED,
    APPEAL_LODGED,
    APPEAL_UPHELD,
    APPLICATION_INFORMATION_REQUESTED,
    APPLICATION_OPEN,
    APPLICATION_REFUSED,
    Appeal,
    Application,
    InformationRequest,
)
from charter.models.base import utcnow
from charter.services import notices
from charter.services.domain import contract_evidence, marks, progress, signings, snapshots
from charter.services.domain.lifecycle import actor_for, transition
from charter.services.domain.schemes import scheme_of
from workflows import lifecycle
from workflows.lifecycle import Forbidden, TransitionRefused

# The Mark's states an organisation may apply from (a first Mark, or its renewal), while it is
# monitored under an approved plan; and those of an application being assessed.
APPLYING_MARKS = (*lifecycle.NOT_HELD, lifecycle.RENEWAL_DUE)
ASSESSMENT_STATES = lifecycle.ASSESSING
NO_CONTRACT = contract_evidence.NO_CONTRACT


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- reading ----------------------------------------------------------------------------------


def latest_application(organisation: Organisation) -> Application | None:
    return db.session.scalar(
        select(Application)
        .where(signings.belongs(Application, organisation))
        .order_by(Application.submitted_at.desc(), Application.id.desc())
        .limit(1)
    )


def information_requests(application: Application) -> list[InformationRequest]:
    return list(
        db.session.scalars(
            select(InformationRequest)
            .where(InformationRequest.application_id == application.id)
            .order_by(InformationRequest.requested_at, InformationRequest.id)
        )
    )


def open_information_request(application: Application) -> InformationRequest | None:
    return db.session.scalar(
        select(InformationRequest)
        .where(
            InformationRequest.application_id == application.id,
            InformationRequest.answer.is_(None),
        )
        .order_by(InformationRequest.requested_at.desc(), InformationRequest.id.desc())
        .limit(1)
    )


def appeal_of(application: Application) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.application_id == application.id))


def undecided_appeal(organisation: Organisation) -> Appeal | None:
    return db.session.scalar(
        select(Appeal).where(
            Appeal.organisation_id == organisation.id, Appeal.status == APPEAL_LODGED
        )
    )


# --- eligibility ------------------------------------------------------------------------------


def reapply_date(application: Application | None, scheme: Scheme) -> date | None:
    """The first day a refused organisation may apply again, or None if nothing waits."""
    if application is None or application.status != APPLICATION_REFUSED:
        return None
    if application.decided_at is None:
        return None
    return application.decided_at.date() + timedelta(days=scheme.reapply_wait_days)


def _returns_missing(organisation: Organisation, scheme: Scheme) -> list[str]:
    """The scheme's minimum of verified returns; after an award, only returns for periods
    ending after the latest Charter Mark's award date count (fresh evidence for a renewal)."""
    since = marks.evidence_since(organisation)
    verified = progress.verified_return_count(organisation, since)
    needed = scheme.min_verified_returns
    if verified >= needed:
        return []
    if since is None:
        return [
            f"You have {_plural(verified, 'verified monitoring return')}; the scheme needs {needed}"
        ]
    return [
        f"You have {_plural(verified, 'verified monitoring return')} for periods since your "
        f"Charter Mark was awarded on {format_date(since)}; the scheme needs {needed}"
    ]


def eligibility(organisation: Organisation, today: date | None = None) -> list[str]:
    """What the organisation still needs before it may apply, as sentences; empty if nothing."""
    today = today or date.today()
    scheme = scheme_of(organisation)
    if scheme is None:
        return ["Sign the charter"]
    missing = []
    if (
        organisation.status != lifecycle.MONITORING
        or organisation.mark_status not in APPLYING_MARKS
    ):
        state = (
            organisation.status
            if organisation.status != lifecycle.MONITORING
            else organisation.mark_status
        )
        label = lifecycle.STATE_LABELS.get(state, state)
        missing.append(
            "Be monitoring your progress under an approved action plan (or be due to renew "
            f"your Charter Mark): {organisation.name} is ‘{label}’"
        )
    # Contract monitoring: a contract (confirmed by its commissioner, by default) and the share
    # of endorsed per-contract figures the scheme asks for.
    missing += contract_evidence.missing(
        organisation, scheme, progress.assessed_window(organisation, today)
    )
    missing += _returns_missing(organisation, scheme)
    wait_until = reapply_date(latest_application(organisation), scheme)
    if wait_until is not None and today < wait_until:
        missing.append(f"You can apply again from {format_date(wait_until)}")
    if undecided_appeal(organisation) is not None:
        missing.append("Your appeal must be decided before you apply again")
    return missing


# --- applying and answering -------------------------------------------------------------------


def apply(
    organisation: Organisation, user: User, *, renewal: bool = False, today: date | None = None
) -> Application:
    """Fire apply_for_mark (or apply_for_renewal) and record what the assessors will judge."""
    scheme = scheme_of(organisation)
    transition(
        organisation,
        "apply_for_renewal" if renewal else "apply_for_mark",
        actor_for(user, organisation),
        missing=eligibility(organisation, today),
    )
    application = Application(
        organisation_id=organisation.id,
        signing_id=signings.signing_id_of(organisation),
        scheme_id=scheme.id,
        is_renewal=renewal,
        status=APPLICATION_OPEN,
        submitted_at=utcnow(),
        submitted_by_id=user.id,
        snapshot=snapshots.take_snapshot(organisation, scheme, today),
    )
    db.session.add(application)
    db.session.flush()
    notices.applications.submitted(organisation, application, user)
    return application


def provide_information(application: Application, user: User, answer: str) -> InformationRequest:
    organisation = db.session.get(Organisation, application.organisation_id)
    request = open_information_request(application)
    if request is None or application.status != APPLICATION_INFORMATION_REQUESTED:
        raise TransitionRefused("The assessor is not waiting for information from you.")
    answer = (answer or "").strip()
    if not answer:
        raise TransitionRefused("Enter your answer to the assessor's questions.")
    transition(organisation, "provide_information", actor_for(user, organisation))
    request.answer = answer
    request.answered_by_id = user.id
    request.answered_at = utcnow()
    # The application's version column stops an assessor's decision and this answer racing.
    application.status = APPLICATION_OPEN
    notices.applications.information_sent(organisation, application, user)
    return request


# --- appeals ----------------------------------------------------------------------------------


def appeal_closes_on(application: Application, scheme: Scheme) -> date | None:
    if application.status != APPLICATION_REFUSED or application.decided_at is None:
        return None
    return application.decided_at.date() + timedelta(days=scheme.appeal_window_days)


def can_appeal(application: Application | None, today: date | None = None) -> bool:
    if application is None or appeal_of(application) is not None:
        return False
    closes = appeal_closes_on(application, db.session.get(Scheme, application.scheme_id))
    return closes is not None and (today or date.today()) <= closes


def require_appealable(application: Application, today: date | None = None) -> None:
    scheme = db.session.get(Scheme, application.scheme_id)
    closes = appeal_closes_on(application, scheme)
    if closes is None:
        raise TransitionRefused("You can only appeal against a refused application.")
    if appeal_of(application) is not None:
        raise TransitionRefused("You have already appealed against this decision.")
    if (today or date.today()) > closes:
        raise TransitionRefused(f"The appeal window closed on {format_date(closes)}.")


def lodge_appeal(
    application: Application, user: User, grounds: str, today: date | None = None
) -> Appeal:
    require_appealable(application, today)
    grounds = (grounds or "").strip()
    if not grounds:
        raise TransitionRefused("Enter your grounds for appeal.")
    organisation = db.session.get(Organisation, application.organisation_id)
    appeal = Appeal(
        application_id=application.id,
        organisation_id=organisation.id,
        grounds=grounds,
        lodged_by_id=user.id,
        lodged_at=utcnow(),
        status=APPEAL_LODGED,
    )
    db.session.add(appeal)
    db.session.flush()  # a second appeal racing this one fails on the unique constraint
    notices.applications.appeal_lodged(organisation, appeal, user)
    return appeal


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    organisation: Organisation


def _of_acting_charter():
    """SQL: the appeal is against an application of the acting charter's signings."""
    return (
        select(Application.id)
        .where(
            Application.id == Appeal.application_id,
            signings.of_acting_charter(Application.signing_id),
        )
        .exists()
    )


def appeals_for_review() -> list[AppealRow]:
    """The acting charter's appeals: lodged ones first, oldest first; then decided ones."""
    rows = db.session.execute(
        select(Appeal, Organisation)
        .join(Organisation, Organisation.id == Appeal.organisation_id)
        .where(_of_acting_charter())
        .order_by(
            (Appeal.status != APPEAL_LODGED),
            Appeal.lodged_at,
            Appeal.id,
        )
    ).all()
    return [AppealRow(appeal, organisation) for appeal, organisation in rows]


def lodged_appeal_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Appeal)
        .where(Appeal.status == APPEAL_LODGED, _of_acting_charter())
    )


def require_may_decide(application: Application, admin: User) -> None:
    if application.decided_by_id == admin.id:
        raise Forbidden(
            "You made the decision being appealed against, so another administrator must "
            "decide this appeal."
        )


def decide_appeal(appeal: Appeal, admin: User, *, uphold: bool, reason: str) -> None:
    """Uphold (the organisation is assessed again) or dismiss, with reasons it will see."""
    application = db.session.get(Application, appeal.application_id)
    organisation = db.session.get(Organisation, appeal.organisation_id)
    require_may_decide(application, admin)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused("Give a reason: it is recorded and shown to the organisation.")
    if appeal.status != APPEAL_LODGED:
        raise TransitionRefused(f"This appeal has already been decided: {appeal.status_label}.")
    if uphold:
        transition(organisation, "reopen_assessment", actor_for(admin, organisation), reason=reason)
        # Back to the assessors' queue; the refusal and its reasons stay in the audit trail.
        application.status = APPLICATION_OPEN
        application.decided_at = None
        application.decided_by_id = None
        application.rationale = None
    claimed = db.session.execute(
        update(Appeal)
        .where(Appeal.id == appeal.id, Appeal.status == APPEAL_LODGED)
        .values(
            status=APPEAL_UPHELD if uphold else APPEAL_DISMISSED,
            decided_by_id=admin.id,
            decided_at=utcnow(),
            decision_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise TransitionRefused("Another administrator decided this appeal while you were working.")
    db.session.refresh(appeal)
    notices.applications.appeal_decided(organisation, appeal, uphold)


def appeal_by_id(appeal_id: int) -> Appeal | None:
    """The appeal, if it is against an application of the acting charter's signings (another
    charter's is not found)."""
    appeal = db.session.get(Appeal, appeal_id)
    if appeal is None:
        return None
    application = db.session.get(Application, appeal.application_id)
    return appeal if signings.in_acting_charter_row(application) else None


def refusal_reason(application: Application, appeal: Appeal | None = None) -> str | None:
    """Why the application was refused: its rationale, or once an upheld appeal has sent it
    back to the assessors, the reason recorded in the audit trail."""
    if application.status == APPLICATION_REFUSED:
        return application.rationale
    query = select(AuditEvent.reason).where(
        signings.events_of_signing(application.organisation_id, application.signing_id),
        AuditEvent.trigger == "refuse_mark",
    )
    if appeal is not None:
        query = query.where(AuditEvent.created_at <= appeal.lodged_at)
    return db.session.scalar(query.order_by(AuditEvent.created_at.desc()).limit(1))
