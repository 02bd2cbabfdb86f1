"""What administrators see of email delivery (/admin/emails), and retrying a failed email.

Every query here is a fixed number of statements whatever the size of the outbox: counts by
state in one GROUP BY, and the failed and retrying emails as two bounded lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.mail import (
    MAIL_FAILED,
    MAIL_QUEUED,
    MAIL_RETRYING,
    MAIL_SENDING,
    MAIL_SENT,
    MAIL_STATES,
)

STATE_LABELS = {
    MAIL_QUEUED: "Queued",
    MAIL_SENDING: "Sending",
    MAIL_SENT: "Sent",
    MAIL_RETRYING: "Waiting to be tried again",
    MAIL_FAILED: "Could not be sent",
}


@dataclass
class QueueState:
    counts: dict[str, int]
    oldest_waiting_at: datetime | None  # created_at of the oldest email not yet sent or failed

    @property
    def waiting(self) -> int:
        return sum(self.counts[state] for state in (MAIL_QUEUED, MAIL_SENDING, MAIL_RETRYING))


def queue_state() -> QueueState:
    counts = dict.fromkeys(MAIL_STATES, 0)
    counts.update(
        db.session.execute(
            select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
        ).all()
    )
    oldest = db.session.scalar(
        select(func.min(OutboxEmail.created_at)).where(
            OutboxEmail.status.in_((MAIL_QUEUED, MAIL_SENDING, MAIL_RETRYING))
        )
    )
    return QueueState(counts=counts, oldest_waiting_at=oldest)


def emails_in_state(state: str, limit: int) -> list[OutboxEmail]:
    """Failed emails newest first; emails waiting to retry soonest first."""
    order = (
        (OutboxEmail.last_attempt_at.desc(), OutboxEmail.id.desc())
        if state == MAIL_FAILED
        else (OutboxEmail.next_attempt_at, OutboxEmail.id)
    )
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.status == state).order_by(*order).limit(limit)
        )
    )


def failed_email_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxEmail).where(OutboxEmail.status == MAIL_FAILED)
    )


def retry_failed_email(email_id: int) -> bool:
    """Queue a permanently failed email again with a fresh set of attempts (not committed).

    False, and nothing changed, if it is not (or no longer) failed: one conditional UPDATE, so
    two administrators pressing "Try again" at once, or one pressing it on a stale page while a
    worker sends the email, cannot send it twice.
    """
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id, OutboxEmail.status == MAIL_FAILED)
        .values(status=MAIL_QUEUED, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
