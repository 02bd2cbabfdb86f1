"""Firing lifecycle triggers on organisations, with the audit row in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Membership, Organisation, User
from charter.models.base import utcnow
from charter.models.signing import acting_signing
from charter.models.staff import ADMINISTRATOR, ASSESSOR
from charter.services.domain import staff
from workflows import lifecycle
from workflows.lifecycle import Actor, TransitionRecord


def is_member(user: User | None, organisation: Organisation) -> bool:
    if user is None or organisation.id is None:
        return False
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id, Membership.organisation_id == organisation.id
            )
        )
        is not None
    )


def actor_for(user: User, organisation: Organisation) -> Actor:
    roles = (
        staff.roles_in(user, staff.charter_of(organisation))
        if staff.is_staff_anywhere(user)
        else ()
    )
    kind = (
        lifecycle.ADMIN
        if ADMINISTRATOR in roles
        else lifecycle.ASSESSOR
        if ASSESSOR in roles
        else lifecycle.MEMBER
    )
    return Actor(
        kind=kind,
        label=user.full_name,
        user_id=user.id,
        is_member=is_member(user, organisation),
    )


def system_actor(label: str = "Scheduled review") -> Actor:
    return Actor(kind=lifecycle.SYSTEM, label=label)


def _signing_id(organisation: Organisation) -> int | None:
    """The signing whose lifecycle the transition moved: the acting charter's."""
    signing = acting_signing(organisation)
    return signing.id if signing is not None else None


def _record(rec: TransitionRecord) -> None:
    organisation: Organisation = rec.organisation
    organisation.status_changed_at = utcnow()
    db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            signing_id=_signing_id(organisation),
            actor_id=rec.actor.user_id,
            actor_label=rec.actor.label,
            trigger=rec.trigger,
            from_state=rec.from_state,
            to_state=rec.to_state,
            reason=(rec.reason or None),
        )
    )


def transition(
    organisation: Organisation,
    trigger: str,
    actor: Actor,
    *,
    reason: str | None = None,
    record=None,
    **data,
) -> str:
    """Fire ``trigger``; the state change and audit row are in the session, not yet committed.

    Raises workflows.lifecycle.TransitionRefused (or a subclass) and changes nothing on refusal.
    The organisation's version column makes a concurrent change fail at commit with
    sqlalchemy.orm.exc.StaleDataError.
    """
    return lifecycle.fire(
        organisation, trigger, actor, record=record or _record, reason=reason, **data
    )


class AuditRows:
    """A ``record`` for transitions fired in a batch: collects the audit rows and inserts them
    in one statement (``flush``), in the same transaction as the state changes."""

    def __init__(self):
        self.rows: list[dict] = []

    def __call__(self, rec: TransitionRecord) -> None:
        now = utcnow()
        rec.organisation.status_changed_at = now
        self.rows.append(
            {
                "organisation_id": rec.organisation.id,
                "signing_id": _signing_id(rec.organisation),
                "actor_id": rec.actor.user_id,
                "actor_label": rec.actor.label,
                "trigger": rec.trigger,
                "from_state": rec.from_state,
                "to_state": rec.to_state,
                "reason": rec.reason or None,
                "created_at": now,
            }
        )

    def flush(self) -> None:
        from sqlalchemy import insert

        if self.rows:
            db.session.execute(insert(AuditEvent), self.rows)
            self.rows = []


def history(organisation: Organisation) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.organisation_id == organisation.id)
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )
