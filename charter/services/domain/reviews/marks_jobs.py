"""The Charter Mark's own calendar: open the renewal window, and expire a mark not renewed.

An expired mark leaves its organisation in ``monitoring``: still a charter signatory, still
sending returns, free to apply again when eligible. Only the mark has ended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import Organisation, Scheme, Signing
from charter.models.assessment import (
    MARK_EXPIRED,
    MARK_SUPERSEDED,
    MARK_SUSPENDED,
    MARK_VALID,
    CharterMark,
)
from charter.models.base import utcnow
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.lifecycle import AuditRows, system_actor, transition
from charter.services.domain.reviews.common import (
    give_notices,
    lifecycles,
    load_organisations,
    run_in_batches,
    try_transition,
)
from charter.services.infrastructure.bulk_insert import among, update_versioned
from workflows import lifecycle

# The Mark's states in which a Mark past its expiry still has to be expired, in its lifecycle.
EXPIRING_STATES = lifecycle.HELD


def _load_marks(ids) -> dict[int, CharterMark]:
    return {
        mark.id: mark
        for mark in db.session.scalars(
            select(CharterMark)
            .where(among(CharterMark.id, ids))
            .execution_options(populate_existing=True)
        )
    }


def _latest():
    """A mark that is its signing's latest not replaced by a renewal (current_mark). Asked
    within the signing: a Mark of another charter the organisation holds is not a renewal."""
    newer = aliased(CharterMark)
    return ~exists().where(
        newer.signing_id == CharterMark.signing_id,
        newer.status != MARK_SUPERSEDED,
        or_(
            newer.awarded_on > CharterMark.awarded_on,
            and_(newer.awarded_on == CharterMark.awarded_on, newer.id > CharterMark.id),
        ),
    )


def open_renewal_windows(today: date) -> dict:
    """Open the renewal window for an accredited organisation whose mark expires within the
    scheme's renewal window (a mark already past its expiry is expire_marks' business)."""
    counts: Counter = Counter()
    longest = db.session.scalar(select(func.max(Scheme.renewal_window_days))) or 0
    due = [
        (org_id, mark_id)
        for org_id, mark_id, expires_on, window in db.session.execute(
            select(
                CharterMark.organisation_id,
                CharterMark.id,
                CharterMark.expires_on,
                Scheme.renewal_window_days,
            )
            .join(Signing, Signing.id == CharterMark.signing_id)
            .join(Scheme, Scheme.id == CharterMark.scheme_id)
            .where(
                Signing.mark_status == lifecycle.ACCREDITED,
                signings.in_acting_charter(),
                CharterMark.status == MARK_VALID,
                CharterMark.expires_on >= today,
                CharterMark.expires_on <= today + timedelta(days=longest),
                _latest(),
            )
            .order_by(CharterMark.organisation_id)
        )
        if expires_on - timedelta(days=window) <= today
    ]

    def act(batch: Sequence[tuple[int, int]]) -> Counter:
        done: Counter = Counter()
        organisations = load_organisations(org_id for org_id, _ in batch)
        marks = _load_marks(mark_id for _, mark_id in batch)
        audit_rows = AuditRows()
        opened = []
        for org_id, mark_id in batch:
            organisation, mark = organisations.get(org_id), marks.get(mark_id)
            if organisation is None or organisation.mark_status != lifecycle.ACCREDITED:
                done["skipped"] += 1
                continue
            if mark is None or mark.status != MARK_VALID or mark.expires_on < today:
                continue
            if try_transition(
                lambda o=organisation: transition(
                    o, "open_renewal", system_actor(), record=audit_rows
                ),
                done,
            ):
                opened.append((organisation, mark))
        update_versioned(lifecycles(organisations.values()))  # one UPDATE, not one per organisation
        audit_rows.flush()
        _notify_once(
            opened,
            "renewal_open",
            notices.marks.renewal_open,
        )
        done["renewals_opened"] += len(opened)
        return done

    run_in_batches(due, act, counts, key=lambda row: row[0])
    return {"renewals_opened": 0, "skipped": 0, **counts}


def _expiring(today: date) -> list[tuple[int, int]]:
    """(organisation id, mark id) of each latest mark past its expiry that is still in force,
    or already expired while its organisation still holds it. One query."""
    newer = aliased(CharterMark)
    return [
        tuple(row)
        for row in db.session.execute(
            select(CharterMark.organisation_id, CharterMark.id)
            .join(Signing, Signing.id == CharterMark.signing_id)
            .where(
                signings.in_acting_charter(),
                CharterMark.expires_on < today,
                or_(
                    CharterMark.status.in_((MARK_VALID, MARK_SUSPENDED)),
                    and_(
                        CharterMark.status == MARK_EXPIRED,
                        Signing.mark_status.in_(EXPIRING_STATES),
                    ),
                ),
                ~exists().where(
                    newer.signing_id == CharterMark.signing_id,  # a renewal, not another charter's
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
        marks = _load_marks(mark_id for _, mark_id in batch)
        now = utcnow()
        audit_rows = AuditRows()
        expired = []
        for org_id, mark_id in batch:
            organisation, mark = organisations[org_id], marks[mark_id]
            changed = False
            if mark.status in (MARK_VALID, MARK_SUSPENDED):
                mark.status, mark.status_changed_at = MARK_EXPIRED, now
                changed = True
            if organisation.mark_status == lifecycle.ACCREDITED:
                # The window was never opened (the scheduler was down): open it, then close
                # it, so the audit trail shows both steps.
                transition(organisation, "open_renewal", system_actor(), record=audit_rows)
            # A renewal still under assessment goes on as an application for a new Mark.
            if organisation.mark_status in EXPIRING_STATES:
                fired = try_transition(
                    lambda o=organisation: transition(
                        o, "expire_mark", system_actor(), record=audit_rows
                    ),
                    done,
                )
                changed = fired or changed
            elif changed:
                # A Mark row in force whose lifecycle no longer held it: the public record
                # still needs the expiry, dated (a row whose state does not change).
                audit_rows.rows.append(_expiry_row(organisation, now))
            if changed:
                expired.append((organisation, mark))
        update_versioned(
            [*lifecycles(organisations.values()), *marks.values()]
        )  # one UPDATE per kind
        audit_rows.flush()
        _notify_once(
            expired,
            "mark_expired",
            notices.marks.expired,
        )
        done["expired"] += len(expired)
        return done

    run_in_batches(_expiring(today), act, counts, key=lambda row: row[0])
    return {"expired": 0, "skipped": 0, **counts}


def _expiry_row(organisation: Organisation, now) -> dict:
    return {
        "organisation_id": organisation.id,
        "actor_id": None,
        "actor_label": system_actor().label,
        "trigger": "expire_mark",
        "from_state": organisation.mark_status,
        "to_state": organisation.mark_status,
        "reason": None,
        "created_at": now,
    }


def _notify_once(acted: list, kind: str, message) -> None:
    """For each (organisation, mark) acted on: give the notice ``kind`` for the mark (once
    ever), and email the members of those given it now, in bulk."""
    given = give_notices([(o.id, kind, f"mark:{m.certificate_number}") for o, m in acted])
    recipients = notices.recipients_of(o.id for o, _ in acted)
    messages = []
    for organisation, mark in acted:
        if (kind, f"mark:{mark.certificate_number}") not in given:
            continue
        messages += message(recipients[organisation.id], organisation, mark)
    notices.queue_bulk(messages)
