"""The register's feed: new signatures and Charter Marks awarded, newest first, for the Atom feed
of public changes. Only organisations public now, and no reasons (those can be private)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Organisation
from workflows import lifecycle

FEED_SIZE = 50
# Feed entries: a new (or renewed) signature and a Charter Mark awarded.
FEED_TRIGGERS = {
    "sign": "signed the Social Value Charter",
    "award_mark": "was awarded the Social Value Charter Mark",
}


@dataclass(frozen=True)
class FeedEntry:
    event_id: int
    organisation: Organisation
    title: str
    happened_at: datetime


def recent_public_changes(limit: int = FEED_SIZE) -> list[FeedEntry]:
    """New signatures and Charter Marks awarded, newest first, of organisations public now
    (a withdrawn organisation's history leaves the feed with it). No reasons: those can be
    private."""
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.trigger, AuditEvent.created_at, Organisation)
        .join(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(
            AuditEvent.trigger.in_(FEED_TRIGGERS),
            Organisation.status.in_(lifecycle.PUBLIC_STATES),
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        FeedEntry(event_id, organisation, f"{organisation.name} {FEED_TRIGGERS[trigger]}", when)
        for event_id, trigger, when, organisation in rows
    ]
