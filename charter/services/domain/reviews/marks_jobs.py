"""The Charter Mark's own calendar: open the renewal window, and expire a mark not renewed.

An expired mark leaves its organisation in ``monitoring``: still a charter signatory, still
sending returns, free to apply again when eligible. Only the mark has ended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import Organisation
from charter.models.assessment import (
    MARK_EXPIRED,
    MARK_SUPERSEDED,
    MARK_SUSPENDED,
    MARK_VALID,
    CharterMark,
)
from charter.models.base import utcnow
from charter.services.domain import preferences
from charter.services.domain.lifecycle import AuditRows, system_actor, transition
from charter.services.domain.marks import current_mark
from charter.services.domain.reviews.common import (
    dashboard_url,
    each,
    fresh_organisation,
    give_notice,
    give_notices,
    load_organisations,
    long_date,
    run_in_batches,
    scheme_by_id,
    try_transition,
)
from charter.services.infrastructure.mail import email_members
from workflows import lifecycle

# States in which a mark past its expiry still has to be expired, with the organisation.
EXPIRING_STATES = (*lifecycle.HOLDING, lifecycle.MARK_SUSPENDED)


def open_renewal_windows(today: date) -> dict:
    """Open the renewal window for an accredited organisation whose mark expires within the
    scheme's renewal window (a mark already past its expiry is expire_marks' business)."""
    counts: Counter = Counter()
    ids = db.session.scalars(
        select(Organisation.id)
        .join(CharterMark, CharterMark.organisation_id == Organisation.id)
        .where(
            Organisation.status == lifecycle.ACCREDITED,
            CharterMark.status == MARK_VALID,
            CharterMark.expires_on >= today,
        )
        .distinct()
        .order_by(Organisation.id)
    ).all()

    def work(organisation_id: int) -> str | None:
        organisation = fresh_organisation(organisation_id, (lifecycle.ACCREDITED,))
        mark = current_mark(organisation)
        if mark is None or mark.status != MARK_VALID or mark.expires_on < today:
            return None
        window = scheme_by_id(mark.scheme_id).renewal_window_days
        if today < mark.expires_on - timedelta(days=window):
            return None
        transition(organisation, "open_renewal", system_actor())
        if give_notice(organisation.id, "renewal_open", f"mark:{mark.certificate_number}"):
            expires = long_date(mark.expires_on)
            email_members(
                organisation,
                f"{organisation.name}: renew your Charter Mark before {expires}",
                "review-renewal-open",
                mark=mark,
                dashboard_url=dashboard_url(organisation),
            )
        return "renewals_opened"

    each(ids, work, counts)
    return {"renewals_opened": 0, "skipped": 0, **counts}


def _expiring(today: date) -> list[tuple[int, int]]:
    """(organisation id, mark id) of each latest mark past its expiry that is still in force,
    or already expired while its organisation still holds it. One query."""
    newer = aliased(CharterMark)
    return [
        tuple(row)
        for row in db.session.execute(
            select(CharterMark.organisation_id, CharterMark.id)
            .join(Organisation, Organisation.id == CharterMark.organisation_id)
            .where(
                CharterMark.expires_on < today,
                or_(
                    CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
                    and_(
                        CharterMark.status == MARK_EXPIRED,
                        Organisation.status.in_(EXPIRING_STATES),
                    ),
                ),
                ~exists().where(
                    newer.organisation_id == CharterMark.organisation_id,
                    newer.status != MARK_SUPERSEDED,
                    newer.awarded_on > CharterMark.awarded_on,
                ),
            )
            .order_by(CharterMark.organisation_id, CharterMark.id)
        )
    ]


def expire_marks(today: date) -> dict:
    """Expire marks past their expiry date; their organisations go back to monitoring."""
    counts: Counter = Counter()

    def act(batch: Sequence[tuple[int, int]]) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(org_id for org_id, _ in batch)
        marks = {
            mark.id: mark
            for mark in db.session.scalars(
                select(CharterMark)
                .where(CharterMark.id.in_([mark_id for _, mark_id in batch]))
                .execution_options(populate_existing=True)
            )
        }
        now = utcnow()
        audit_rows = AuditRows()
        expired = []
        for org_id, mark_id in batch:
            organisation, mark = organisations[org_id], marks[mark_id]
            changed = False
            if mark.status in (MARK_VALID, MARK_SUSPENDED):
                mark.status, mark.status_changed_at = MARK_EXPIRED, now
                changed = True
            if organisation.status == lifecycle.ACCREDITED:
                # The window was never opened (the scheduler was down): open it, then close
                # it, so the audit trail shows both steps.
                transition(organisation, "open_renewal", system_actor(), record=audit_rows)
            if organisation.status in (lifecycle.RENEWAL_DUE, lifecycle.MARK_SUSPENDED):
                fired = try_transition(
                    lambda o=organisation: transition(
                        o, "expire_mark", system_actor(), record=audit_rows
                    ),
                    done,
                )
                changed = fired or changed
            if changed:
                expired.append((organisation, mark))
        audit_rows.flush()
        given = give_notices(
            [(o.id, "mark_expired", f"mark:{m.certificate_number}") for o, m in expired]
        )
        recipients = preferences.recipients_of(o.id for o, _ in expired)
        messages = []
        for organisation, mark in expired:
            if ("mark_expired", f"mark:{mark.certificate_number}") not in given:
                continue
            messages += preferences.email_members_bulk(
                recipients[organisation.id],
                f"{organisation.name}: your Charter Mark has expired",
                "review-mark-expired",
                reminder=False,
                organisation=organisation,
                mark=mark,
                dashboard_url=dashboard_url(organisation),
            )
        preferences.queue_bulk(messages)
        done["expired"] += len(expired)
        return done

    run_in_batches(_expiring(today), act, counts, key=lambda row: row[0])
    return {"expired": 0, "skipped": 0, **counts}
