"""Delivery: claim one due email, commit the claim, send it, record what happened.

Exactly once in the normal case: a worker claims an email by moving it to "sending" in its own
committed transaction (on PostgreSQL the candidate row is picked with ``FOR UPDATE SKIP LOCKED``,
so two workers never claim the same email and neither waits for the other), and only then sends
it. The result is recorded in a second transaction. A duplicate is possible only when the
worker stops, or loses the database, between the send and that record: the claim then goes
stale and after ``MAIL_SENDING_LEASE_SECONDS`` the email is tried again (docs/operations.md, "Email
delivery"). On SQLite one worker process is assumed (the claim is still a single statement).

Transient failures are retried after an exponential back-off, capped; after
``MAIL_MAX_ATTEMPTS`` attempts, or at a permanent failure, the email is marked failed and shown
to administrators on /admin/emails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.base import utcnow
from charter.models.mail import MAIL_FAILED, MAIL_QUEUED, MAIL_RETRYING, MAIL_SENDING, MAIL_SENT
from charter.services.infrastructure.mail.backends import Backend, DeliveryFailure, open_backend

log = logging.getLogger(__name__)

DEFAULTS = {
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_BASE_SECONDS": 60,
    "MAIL_RETRY_MAX_SECONDS": 3600,
    "MAIL_SENDING_LEASE_SECONDS": 900,
}


def setting(name: str) -> int:
    value = current_app.config.get(name)
    return int(DEFAULTS[name] if value is None else value)


@dataclass
class DeliveryCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: DeliveryCounts) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ``attempts``-th attempt failed: base, 2 x base, 4 x base... capped."""
    base = setting("MAIL_RETRY_BASE_SECONDS")
    cap = setting("MAIL_RETRY_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def claim_next(now: datetime) -> OutboxEmail | None:
    """Claim the oldest due email for this worker and commit the claim; None if none is due.

    Due: queued, or waiting to retry with its time come, or "sending" under a claim older than
    the lease (a worker that stopped mid-send).
    """
    stale_before = now - timedelta(seconds=setting("MAIL_SENDING_LEASE_SECONDS"))
    due = or_(
        and_(
            OutboxEmail.status.in_((MAIL_QUEUED, MAIL_RETRYING)),
            or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
        ),
        and_(OutboxEmail.status == MAIL_SENDING, OutboxEmail.claimed_at < stale_before),
    )
    candidate = (
        select(OutboxEmail.id)
        .where(due)
        .order_by(OutboxEmail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed_id = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == candidate)
        .values(
            status=MAIL_SENDING,
            claimed_at=now,
            last_attempt_at=now,
            attempts=OutboxEmail.attempts + 1,
        )
        .returning(OutboxEmail.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.commit()
    if claimed_id is None:
        return None
    return db.session.get(OutboxEmail, claimed_id)


def record_sent(email: OutboxEmail, reference: str | None, now: datetime) -> None:
    email.status = MAIL_SENT
    email.sent_at = now
    email.provider_reference = reference
    email.next_attempt_at = None
    email.claimed_at = None


def record_failure(email: OutboxEmail, failure: DeliveryFailure, now: datetime) -> str:
    """Mark ``email`` to retry later or failed for good; return the state it is left in."""
    email.claimed_at = None
    max_attempts = setting("MAIL_MAX_ATTEMPTS")
    if failure.permanent or email.attempts >= max_attempts:
        email.status = MAIL_FAILED
        email.next_attempt_at = None
        email.last_error = (
            failure.reason
            if failure.permanent
            else f"Gave up after {email.attempts} attempts. {failure.reason}"
        )[:500]
    else:
        email.status = MAIL_RETRYING
        email.next_attempt_at = now + retry_delay(email.attempts)
        email.last_error = failure.reason
    return email.status


def deliver_claimed(backend: Backend, email: OutboxEmail, now: datetime) -> DeliveryCounts:
    """Send one claimed email and commit its new state."""
    try:
        reference = backend.send(email)
    except DeliveryFailure as failure:
        state = record_failure(email, failure, now)
    except Exception as exc:  # a bug or an unforeseen error: retried, bounded by the attempts
        log.exception("Unexpected error sending outbox email %s", email.id)
        state = record_failure(
            email, DeliveryFailure(f"Unexpected error ({type(exc).__name__})", permanent=False), now
        )
    else:
        record_sent(email, reference, now)
        state = MAIL_SENT
    db.session.commit()
    log.info("Outbox email %s: %s (attempt %s)", email.id, state, email.attempts)
    return DeliveryCounts(
        sent=int(state == MAIL_SENT),
        retrying=int(state == MAIL_RETRYING),
        failed=int(state == MAIL_FAILED),
    )


def deliver_due(
    limit: int | None = None,
    *,
    now: datetime | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryCounts:
    """Deliver due emails one at a time until none is due, ``limit`` have been tried, or
    ``should_stop()``. Commits as it goes. ``now`` fixes the clock (tests, time travel)."""
    counts = DeliveryCounts()
    # Opened before claiming, so a configuration error leaves no email stuck in "sending";
    # backends connect only when they first send.
    backend = open_backend(current_app.config)
    try:
        while (limit is None or counts.attempted < limit) and not should_stop():
            email = claim_next(now or utcnow())
            if email is None:
                break
            counts.add(deliver_claimed(backend, email, now or utcnow()))
    finally:
        backend.close()
    return counts


def deliver_pending(limit: int = 100) -> int:
    """Deliver up to ``limit`` due emails now; return how many were sent (committed)."""
    return deliver_due(limit).sent
