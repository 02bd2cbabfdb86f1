"""The retention job: delete or anonymise what the retention schedule says is due, on ``today``.

It reads its periods from ``retention_schedule`` (the same rules the privacy notice shows), acts
per kind in the schedule's order, and counts what it did per kind. What it does leaves nothing
that would make it act again, so a second run the same day (or any later day) finds nothing: an
erased organisation has ``records_erased_at``, a closed account ``closed_at``, and everything else
is deleted. ``due`` alone is the dry run: what a run on ``today`` would do, changing nothing.

Administrators get an email with the counts whenever a run did something.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import delete, exists, func, or_, select, update

from charter.extensions import db
from charter.models import (
    AuditEvent,
    CharterMark,
    ContractManager,
    ContractMonitoringEvent,
    DataExport,
    EvidenceFile,
    EvidenceLink,
    Invitation,
    Membership,
    MonitoringReturn,
    Organisation,
    OutboxEmail,
    ReturnLine,
    ScheduledNotice,
    Signature,
    Signing,
    User,
)
from charter.models.assessment import MARK_EXPIRED, MARK_SUSPENDED, MARK_VALID
from charter.models.base import utcnow
from charter.models.mail import MAIL_FAILED, MAIL_SENT
from charter.services import notices
from charter.services.domain import account_closing, lifecycle, staff
from charter.services.domain import retention_schedule as schedule
from charter.services.infrastructure.evidence import delete_evidence

FORMER_SIGNATORY_ROLE = "Not kept"
ACTOR_LABEL = "Retention schedule"
ERASE_TRIGGER = "erase_records"


def _cutoff(kind: str, today: date) -> datetime:
    """Records whose retention period started before this moment are due."""
    return datetime.combine(schedule.rule(kind).started_before(today), time.min)


@dataclass
class Due:
    """What a run on one day would act on, per kind: ids, and a line per record for people."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, record_id: int, line: str) -> None:
        self.ids.setdefault(kind, []).append(record_id)
        self.lines.setdefault(kind, []).append(line)

    def counts(self) -> dict[str, int]:
        return {kind: len(self.ids.get(kind, [])) for kind in schedule.JOB_KINDS}


# --- what is due ------------------------------------------------------------------------------


def _due_organisations(today: date) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.records_erased_at.is_(None),
                # Every signing has ended, the last before the cutoff.
                exists().where(Signing.organisation_id == Organisation.id),
                ~exists().where(
                    Signing.organisation_id == Organisation.id,
                    or_(
                        Signing.status.not_in(account_closing.LEFT_STATES),
                        Signing.status_changed_at >= _cutoff(schedule.ORGANISATION_RECORDS, today),
                    ),
                ),
            )
            .order_by(Organisation.id)
        )
    )


def _due_accounts(today: date, leaving_organisations: set[int]) -> list[User]:
    """Member accounts with no organisation (or commissioner) left to act for, whose last
    organisation left, or which were made, before the cutoff. Organisations the same run
    erases count as gone, so the dry run and the run agree."""
    cutoff = _cutoff(schedule.ACCOUNTS, today)
    still_taking_part = (
        select(Membership.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .outerjoin(Signing, Signing.organisation_id == Organisation.id)
        .where(
            Membership.user_id == User.id,
            Organisation.id.not_in(leaving_organisations),
            or_(
                Signing.id.is_(None),
                Signing.status.not_in(account_closing.LEFT_STATES),
                Signing.status_changed_at >= cutoff,
            ),
        )
        .exists()
    )
    managing = (
        select(ContractManager.id)
        .where(ContractManager.user_id == User.id, ContractManager.removed_at.is_(None))
        .exists()
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.not_in(staff.staff_user_ids()),
                User.closed_at.is_(None),
                User.created_at < cutoff,
                ~still_taking_part,
                ~managing,
            )
            .order_by(User.id)
        )
    )


def due(today: date) -> Due:
    """Everything a run on ``today`` would act on. Changes nothing: this is the dry run."""
    found = Due()
    organisations = _due_organisations(today)
    for organisation in organisations:
        found.add(
            schedule.ORGANISATION_RECORDS,
            organisation.id,
            f"{organisation.name} ({organisation.status} on "
            f"{organisation.status_changed_at:%Y-%m-%d})",
        )
    organisation_ids = {organisation.id for organisation in organisations}
    if organisation_ids:
        for evidence_id, name, org_name in db.session.execute(
            select(EvidenceFile.id, EvidenceFile.original_name, Organisation.name)
            .join(Organisation, Organisation.id == EvidenceFile.organisation_id)
            .where(EvidenceFile.organisation_id.in_(organisation_ids))
            .order_by(EvidenceFile.id)
        ):
            found.add(schedule.EVIDENCE_FILES, evidence_id, f"{name} ({org_name})")
    for user in _due_accounts(today, organisation_ids):
        found.add(
            schedule.ACCOUNTS, user.id, f"Account {user.id} (made {user.created_at:%Y-%m-%d})"
        )
    invitation_cutoff = _cutoff(schedule.INVITATIONS, today)
    for invitation_id, created_at in db.session.execute(
        select(Invitation.id, Invitation.created_at)
        .where(Invitation.created_at < invitation_cutoff)
        .order_by(Invitation.id)
    ):
        found.add(schedule.INVITATIONS, invitation_id, f"Invitation sent {created_at:%Y-%m-%d}")
    finished = func.coalesce(
        OutboxEmail.sent_at, OutboxEmail.last_attempt_at, OutboxEmail.created_at
    )
    for email_id, subject in db.session.execute(
        select(OutboxEmail.id, OutboxEmail.subject)
        .where(
            OutboxEmail.status.in_((MAIL_SENT, MAIL_FAILED)),
            finished < _cutoff(schedule.OUTBOX_EMAILS, today),
        )
        .order_by(OutboxEmail.id)
    ):
        found.add(schedule.OUTBOX_EMAILS, email_id, f"Email {email_id}: {subject}")
    for export_id, created_at in db.session.execute(
        select(DataExport.id, DataExport.created_at)
        .where(DataExport.created_at < _cutoff(schedule.DATA_EXPORTS, today))
        .order_by(DataExport.id)
    ):
        found.add(schedule.DATA_EXPORTS, export_id, f"Copy {export_id} made {created_at:%Y-%m-%d}")
    return found


# --- doing it ---------------------------------------------------------------------------------


def erase_organisation(organisation: Organisation, now: datetime) -> int:
    """Remove an organisation's people, evidence and register entry; keep its name, its Charter
    Marks and the anonymous record of what was done. Returns the evidence files removed."""
    evidence = list(
        db.session.scalars(
            select(EvidenceFile).where(EvidenceFile.organisation_id == organisation.id)
        )
    )
    for each in evidence:
        delete_evidence(each)  # the stored file goes when this is committed
    line_ids = (
        select(ReturnLine.id)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(MonitoringReturn.organisation_id == organisation.id)
    )
    db.session.execute(delete(EvidenceLink).where(EvidenceLink.return_line_id.in_(line_ids)))
    db.session.execute(delete(Membership).where(Membership.organisation_id == organisation.id))
    db.session.execute(delete(Invitation).where(Invitation.organisation_id == organisation.id))
    db.session.execute(
        delete(ScheduledNotice).where(ScheduledNotice.organisation_id == organisation.id)
    )
    db.session.execute(
        update(Signature)
        .where(Signature.organisation_id == organisation.id)
        .values(signatory_name=account_closing.FORMER_MEMBER, signatory_role=FORMER_SIGNATORY_ROLE)
        .execution_options(synchronize_session=False)
    )
    members = select(User.id).where(User.id.not_in(staff.staff_user_ids()))
    for model in (AuditEvent, ContractMonitoringEvent):
        db.session.execute(
            update(model)
            .where(model.organisation_id == organisation.id, model.actor_id.in_(members))
            .values(actor_label=account_closing.FORMER_MEMBER)
            .execution_options(synchronize_session=False)
        )
    # Through the lifecycle, as every change of state: a lapsed organisation leaves the register
    # (withdrawn is the state it leaves out), and the audit row says why.
    lifecycle.transition(
        organisation,
        ERASE_TRIGGER,
        lifecycle.system_actor(ACTOR_LABEL),
        reason="Records removed under the retention schedule, "
        f"{schedule.rule(schedule.ORGANISATION_RECORDS).years} years after it left",
    )
    # A Mark still "valid" on a long-gone organisation (its expiry not yet recorded) is no
    # longer held: its certificate verifies as expired, with its dates, from now on.
    db.session.execute(
        update(CharterMark)
        .where(
            CharterMark.organisation_id == organisation.id,
            CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
        )
        .values(status=MARK_EXPIRED, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    organisation.records_erased_at = now
    return len(evidence)


def apply_retention_schedule(today: date) -> dict:
    """The scheduled review: act on everything due on ``today``; counts per kind."""
    now = utcnow()
    found = due(today)
    counts = dict.fromkeys(schedule.JOB_KINDS, 0)
    # The plain deletions first, so what is due under its own rule is counted under it, not
    # taken along with an organisation or an account.
    counts[schedule.INVITATIONS] = _delete(Invitation, found.ids.get(schedule.INVITATIONS, []))
    counts[schedule.OUTBOX_EMAILS] = _delete(OutboxEmail, found.ids.get(schedule.OUTBOX_EMAILS, []))
    counts[schedule.DATA_EXPORTS] = _delete(DataExport, found.ids.get(schedule.DATA_EXPORTS, []))
    db.session.commit()
    for organisation_id in found.ids.get(schedule.ORGANISATION_RECORDS, []):
        organisation = db.session.get(Organisation, organisation_id)
        counts[schedule.EVIDENCE_FILES] += erase_organisation(organisation, now)
        counts[schedule.ORGANISATION_RECORDS] += 1
        db.session.commit()
    for user_id in found.ids.get(schedule.ACCOUNTS, []):
        user = db.session.get(User, user_id)
        account_closing.close_account(
            user, reason=account_closing.REASON_RETENTION, now=now, checked=False
        )
        counts[schedule.ACCOUNTS] += 1
    db.session.commit()
    if any(counts.values()):
        _report(today, counts)
        db.session.commit()
    return counts


def _delete(model, ids: list[int]) -> int:
    if not ids:
        return 0
    return db.session.execute(delete(model).where(model.id.in_(ids))).rowcount


@dataclass(frozen=True)
class ReportLine:
    records: str
    count: int


def _report(today: date, counts: dict[str, int]) -> None:
    """Email the per-kind counts to every service administrator (through the outbox): the
    retention schedule is the service's, not a charter's."""
    rules = {rule.kind: rule for rule in schedule.schedule()}
    lines = [ReportLine(rules[kind].records, counts[kind]) for kind in schedule.JOB_KINDS]
    administrators = db.session.scalars(
        select(User).where(User.service_admin.is_(True), User.closed_at.is_(None)).order_by(User.id)
    )
    notices.privacy.retention_applied(administrators, today, lines)
