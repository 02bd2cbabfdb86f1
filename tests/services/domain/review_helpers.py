"""Helpers shared by the tests of reviews and the modules that build on them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, MonitoringReturn, Organisation, OutboxEmail
from tests.factories import make_approved_plan, make_return, set_stage

TARGETS = {"LE1": ("10", "20")}


def monitored(organisation, scheme, status="monitoring"):
    set_stage(organisation, status)
    db.session.commit()
    return make_approved_plan(organisation, scheme, TARGETS)


def open_return(organisation, measures, due: date, quarter: int = 1, **fields) -> MonitoringReturn:
    monitoring_return = make_return(
        organisation,
        measures,
        quarter,
        {"LE1": "5"},
        status=fields.pop("status", "draft"),
        **fields,
    )
    monitoring_return.due_date = due
    db.session.commit()
    return monitoring_return


def emails_to(user, containing: str = "") -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail).where(
                OutboxEmail.to_address == user.email, OutboxEmail.subject.contains(containing)
            )
        )
    )


def triggers(organisation) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.trigger)
            .where(AuditEvent.organisation_id == organisation.id)
            .order_by(AuditEvent.id)
        )
    )


def fresh(organisation) -> Organisation:
    db.session.expire_all()
    return db.session.get(Organisation, organisation.id)
