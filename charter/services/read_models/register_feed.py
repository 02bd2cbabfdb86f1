"""The register's feed: the public record's changes, newest first, for the Atom feed: losses as
well as gains (signatures and awards, and suspensions, reinstatements, revocations, expiries and
lapses), each with its date. Only organisations public now, and no reasons (those can be
private: the register says only what kind of event it was)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Organisation
from charter.services.domain import register_entries, signings

FEED_SIZE = 50
# Feed entries by audited trigger, the organisation's name in {name}.
FEED_TRIGGERS = {
    "sign": "{name} signed the Social Value Charter",
    "award_mark": "{name} was awarded the Social Value Charter Mark",
    "suspend_mark": "{name}: Charter Mark suspended for a missed reporting duty",
    "reinstate_mark": "{name}: Charter Mark reinstated",
    "suspend": "{name} was suspended by the scheme administrators",
    "lift_suspension": "{name}: suspension lifted",
    "revoke_mark": "{name}: Charter Mark revoked",
    "expire_mark": "{name}: Charter Mark expired",
    "lapse": "{name}: commitment to the charter lapsed",
}


@dataclass(frozen=True)
class FeedEntry:
    event_id: int
    organisation: Organisation
    title: str
    happened_at: datetime


def recent_public_changes(charter_id: int, limit: int = FEED_SIZE) -> list[FeedEntry]:
    """The public record's changes, newest first, of organisations on the charter's register
    now (a withdrawn organisation's history leaves the feed with it). No reasons: those can be
    private."""
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.trigger, AuditEvent.created_at, Organisation)
        .join(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(
            AuditEvent.trigger.in_(FEED_TRIGGERS),
            signings.event_in_charter(charter_id),
            register_entries.on_register_clause(charter_id),
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [
        FeedEntry(
            event_id, organisation, FEED_TRIGGERS[trigger].format(name=organisation.name), when
        )
        for event_id, trigger, when, organisation in rows
    ]
