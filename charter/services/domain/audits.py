"""Random audits of Charter Mark holders.

Once a year the draw is *published* (a random seed shown on the administrators' page, with the
day of the draw) and, on that day, *drawn*: the eligible holders' certificate numbers are
sorted, each is ranked by SHA-256 of "<seed>:<certificate number>" (hex, ascending), and the
first round(share × count) are chosen. Anyone with the seed and the sorted list (both kept on
the draw) can repeat it with any SHA-256 tool. An organisation audited that year is not
eligible again. Each audit goes to an assessor who is not a member of the organisation; the
assessor asks for the source documents behind chosen verified figures and records the outcome.
Concerns are referred to an administrator, who alone may suspend or revoke.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, func, insert, select

from charter.extensions import db
from charter.models import Membership, MonitoringReturn, Organisation, ReturnLine, Signing, User
from charter.models.assessment import MARK_VALID, CharterMark
from charter.models.base import INTEGER_COLUMN_MAX, utcnow
from charter.models.duties import (
    AUDIT_ASSIGNED,
    AUDIT_CLOSED,
    AUDIT_CONFIRMED,
    AUDIT_DOCUMENTS_REQUESTED,
    AUDIT_DOCUMENTS_SENT,
    AUDIT_REFERRED,
    DRAW_DRAWN,
    DRAW_PUBLISHED,
    AuditDraw,
    MarkAudit,
)
from charter.models.monitoring import RETURN_VERIFIED
from charter.models.staff import ADMINISTRATOR, ASSESSOR, StaffRole
from charter.services import notices
from charter.services.domain import marks, signings, staff
from charter.services.domain.charters import default_charter_id
from charter.services.domain.schemes import current_scheme
from workflows import lifecycle
from workflows.lifecycle import Forbidden, TransitionRefused

# The seed is published this many days before the draw.
NOTICE_DAYS = 14
OPEN_AUDIT_STATUSES = (AUDIT_ASSIGNED, AUDIT_DOCUMENTS_REQUESTED, AUDIT_DOCUMENTS_SENT)


# --- the draw (pure) --------------------------------------------------------------------------


def sample_size(share_percent: int, eligible: int) -> int:
    """round(share × eligible), halves rounded up (10% of 15 is 2)."""
    exact = Decimal(share_percent) * eligible / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rank(seed: str, certificate_number: str) -> str:
    return hashlib.sha256(f"{seed}:{certificate_number}".encode()).hexdigest()


def draw_sample(seed: str, certificate_numbers: list[str], size: int) -> list[str]:
    """The chosen certificate numbers: the same seed and list always give the same sample."""
    ordered = sorted(set(certificate_numbers))
    return sorted(ordered, key=lambda number: (rank(seed, number), number))[:size]


# --- publishing and drawing (the yearly job) ----------------------------------------------------


def draw_for(year: int) -> AuditDraw | None:
    return db.session.scalar(select(AuditDraw).where(AuditDraw.year == year))


def publish(today: date) -> AuditDraw | None:
    """Publish this year's draw (its seed and day) if not yet published; not committed."""
    if draw_for(today.year) is not None:
        return None
    draw = AuditDraw(
        year=today.year,
        seed=secrets.token_hex(16),
        published_on=today,
        draw_on=today + timedelta(days=NOTICE_DAYS),
        status=DRAW_PUBLISHED,
    )
    db.session.add(draw)
    db.session.flush()
    return draw


def eligible_holders(year: int) -> list[tuple[str, int]]:
    """(certificate number, organisation id) of each current holder not audited this year."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(CharterMark.certificate_number, Organisation.id)
            .join(Organisation, Organisation.id == CharterMark.organisation_id)
            .join(Signing, Signing.id == CharterMark.signing_id)
            .where(
                # Holders not being assessed for renewal (that assessment reads the evidence).
                Signing.status == lifecycle.MONITORING,
                Signing.mark_status.in_((lifecycle.ACCREDITED, lifecycle.RENEWAL_DUE)),
                signings.in_acting_charter(),
                CharterMark.status == MARK_VALID,
                ~exists().where(
                    MarkAudit.organisation_id == Organisation.id, MarkAudit.year == year
                ),
            )
            .order_by(CharterMark.certificate_number)
        )
    ]


def _assessor_loads() -> list[tuple[int, int]]:
    """(open audits, assessor id) for every assessor, least loaded first."""
    open_count = (
        select(func.count())
        .select_from(MarkAudit)
        .where(MarkAudit.assessor_id == User.id, MarkAudit.status.in_(OPEN_AUDIT_STATUSES))
        .scalar_subquery()
    )
    return [
        (load, user_id)
        for user_id, load in db.session.execute(
            select(User.id, open_count)
            .join(StaffRole, StaffRole.user_id == User.id)
            # Until signings carry their charter, audits are drawn in the default charter.
            .where(StaffRole.role == ASSESSOR, staff.OPEN)
            .where(StaffRole.charter_id == default_charter_id())
            .order_by(User.id)
        )
    ]


def assign(organisation_ids: list[int]) -> dict[int, int | None]:
    """An assessor for each organisation, never a member of it, spreading the work."""
    loads = _assessor_loads()
    members = set(
        db.session.execute(
            select(Membership.organisation_id, Membership.user_id).where(
                Membership.organisation_id.in_(organisation_ids),
                Membership.user_id.in_([user_id for _, user_id in loads]),
            )
        ).all()
    )
    out: dict[int, int | None] = {}
    for org_id in organisation_ids:
        loads.sort()
        for i, (load, user_id) in enumerate(loads):
            if (org_id, user_id) not in members:
                out[org_id] = user_id
                loads[i] = (load + 1, user_id)
                break
        else:
            out[org_id] = None  # no assessor free of a conflict: the admin page shows it
    return out


def draw(draw_row: AuditDraw) -> list[dict]:
    """Draw the published draw; not committed."""
    scheme = current_scheme()
    share = scheme.audit_share_percent if scheme is not None else 0
    eligible = eligible_holders(draw_row.year)
    organisation_of = dict(eligible)
    numbers = sorted(organisation_of)
    chosen = draw_sample(draw_row.seed, numbers, sample_size(share, len(numbers)))
    assessors = assign([organisation_of[n] for n in chosen])
    signing_of = signings.signing_ids_of(organisation_of[n] for n in chosen)
    rows = [
        {
            "organisation_id": organisation_of[number],
            "signing_id": signing_of[organisation_of[number]],
            "draw_id": draw_row.id,
            "year": draw_row.year,
            "certificate_number": number,
            "assessor_id": assessors[organisation_of[number]],
            "status": AUDIT_ASSIGNED,
        }
        for number in chosen
    ]
    if rows:  # one statement, however many are drawn
        db.session.execute(insert(MarkAudit), rows)
    draw_row.status = DRAW_DRAWN
    draw_row.share_percent = share
    draw_row.eligible_numbers = numbers
    draw_row.drawn_numbers = chosen
    draw_row.drawn_at = utcnow()
    db.session.flush()
    return rows


def draw_audits(today: date) -> dict:
    """The yearly job: publish the year's draw, and draw it on its day. Idempotent."""
    counts: Counter = Counter(published=0, drawn=0, audits_assigned=0)
    if publish(today) is not None:
        counts["published"] += 1
    db.session.commit()
    pending = db.session.scalar(
        select(AuditDraw)
        .where(AuditDraw.status == DRAW_PUBLISHED, AuditDraw.draw_on <= today)
        .with_for_update()
    )
    if pending is not None:
        audits = draw(pending)
        counts["drawn"] += 1
        counts["audits_assigned"] += sum(1 for a in audits if a["assessor_id"] is not None)
        counts["audits_unassigned"] += sum(1 for a in audits if a["assessor_id"] is None)
    db.session.commit()
    return dict(counts)


# --- the assessor's audit -----------------------------------------------------------------------


@dataclass(frozen=True)
class AuditedFigure:
    line: ReturnLine
    monitoring_return: MonitoringReturn


def audit_by_id(audit_id: int) -> MarkAudit | None:
    if not 0 < audit_id <= INTEGER_COLUMN_MAX:
        return None
    return db.session.get(MarkAudit, audit_id)


def audits_for(assessor: User) -> list[tuple[MarkAudit, Organisation]]:
    return list(
        db.session.execute(
            select(MarkAudit, Organisation)
            .join(Organisation, Organisation.id == MarkAudit.organisation_id)
            .join(Signing, Signing.id == MarkAudit.signing_id)
            .where(MarkAudit.assessor_id == assessor.id, signings.in_acting_charter())
            .order_by(MarkAudit.status.in_(OPEN_AUDIT_STATUSES).desc(), MarkAudit.id)
        ).all()
    )


def verified_figures(organisation_id: int) -> list[AuditedFigure]:
    """The organisation's verified figures, newest period first, to choose from."""
    from sqlalchemy.orm import selectinload

    rows = db.session.execute(
        select(ReturnLine, MonitoringReturn)
        .join(MonitoringReturn, MonitoringReturn.id == ReturnLine.return_id)
        .where(
            MonitoringReturn.organisation_id == organisation_id,
            MonitoringReturn.status == RETURN_VERIFIED,
        )
        .options(selectinload(ReturnLine.measure))
        .order_by(MonitoringReturn.period_start.desc(), ReturnLine.id)
    ).all()
    return [AuditedFigure(line, ret) for line, ret in rows]


def require_auditor(audit: MarkAudit, user: User) -> None:
    if audit.assessor_id != user.id:
        raise Forbidden("This audit is assigned to another assessor.")
    member = db.session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == audit.organisation_id, Membership.user_id == user.id
        )
    )
    if member is not None:
        raise Forbidden("You cannot audit an organisation you are a member of.")


def request_documents(audit: MarkAudit, user: User, line_ids: list[int], text: str) -> None:
    require_auditor(audit, user)
    if audit.status not in OPEN_AUDIT_STATUSES:
        raise TransitionRefused(f"This audit is closed: {audit.status_label}.")
    allowed = {f.line.id for f in verified_figures(audit.organisation_id)}
    chosen = [i for i in line_ids if i in allowed]
    if not chosen:
        raise TransitionRefused("Choose at least one verified figure.")
    if not (text or "").strip():
        raise TransitionRefused("Say which source documents you need.")
    audit.requested_line_ids = chosen
    audit.request_text = text.strip()
    audit.requested_at = utcnow()
    audit.status = AUDIT_DOCUMENTS_REQUESTED
    organisation = db.session.get(Organisation, audit.organisation_id)
    figures = [f for f in verified_figures(audit.organisation_id) if f.line.id in chosen]
    notices.audits.documents_requested(organisation, audit, figures, user)


def record_outcome(audit: MarkAudit, user: User, *, concerns: bool, reason: str) -> None:
    """Confirmed, or concerns (with reasons): referred to an administrator, who decides."""
    require_auditor(audit, user)
    if audit.status not in OPEN_AUDIT_STATUSES:
        raise TransitionRefused(f"This audit is closed: {audit.status_label}.")
    reason = (reason or "").strip()
    if concerns and not reason:
        raise TransitionRefused("Say what the concerns are: an administrator will read them.")
    audit.status = AUDIT_REFERRED if concerns else AUDIT_CONFIRMED
    audit.outcome_reason = reason or None
    audit.decided_at = utcnow()
    if concerns:
        organisation = db.session.get(Organisation, audit.organisation_id)
        administrators = staff.people_with(ADMINISTRATOR, staff.charter_of(organisation))
        notices.audits.referred(organisation, audit, user, administrators)


# --- the administrator's side -------------------------------------------------------------------


def decide_referral(audit: MarkAudit, admin: User, action: str, reason: str) -> None:
    """Suspend the organisation, revoke its Charter Mark, or take no further action."""
    organisation = db.session.get(Organisation, audit.organisation_id)
    if not staff.is_administrator(admin, staff.charter_of(organisation)):
        raise Forbidden("Only an administrator can decide on an audit's concerns.")
    if audit.status != AUDIT_REFERRED:
        raise TransitionRefused(f"This audit is not waiting for a decision: {audit.status_label}.")
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused("Give a reason: it is recorded and shown to the organisation.")
    if action == "suspend":
        marks.suspend(organisation, admin, reason)
    elif action == "revoke":
        marks.revoke(organisation, admin, reason)
    elif action != "no_action":
        raise TransitionRefused("Choose what to do.")
    audit.status = AUDIT_CLOSED
    audit.admin_action, audit.admin_reason = action, reason
    audit.admin_id, audit.admin_decided_at = admin.id, utcnow()


def audits_of(organisation: Organisation) -> list[MarkAudit]:
    return list(
        db.session.scalars(
            select(MarkAudit)
            .where(signings.belongs(MarkAudit, organisation))
            .order_by(MarkAudit.year.desc(), MarkAudit.id.desc())
        )
    )


def counts_by_status() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(MarkAudit.status, func.count())
            .where(signings.of_acting_charter(MarkAudit.signing_id))
            .group_by(MarkAudit.status)
        ).all()
    )


def recent_draws(limit: int = 5) -> list[AuditDraw]:
    return list(db.session.scalars(select(AuditDraw).order_by(AuditDraw.year.desc()).limit(limit)))


def all_audits() -> list[tuple[MarkAudit, Organisation, User | None]]:
    return list(
        db.session.execute(
            select(MarkAudit, Organisation, User)
            .join(Organisation, Organisation.id == MarkAudit.organisation_id)
            .outerjoin(User, User.id == MarkAudit.assessor_id)
            .where(signings.of_acting_charter(MarkAudit.signing_id))
            .order_by((MarkAudit.status != AUDIT_REFERRED), MarkAudit.year.desc(), MarkAudit.id)
        ).all()
    )
