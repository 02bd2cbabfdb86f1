"""Helpers shared by the tests of applications and the modules that build on them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import Commissioner
from charter.models.assessment import Application
from charter.models.base import utcnow
from tests.factories import (
    make_approved_plan,
    make_commissioner,
    make_contract,
    make_return,
    set_stage,
    signing_id_for,
)

TARGETS = {"LE1": ("0", "1000"), "LE4": ("1", "3"), "LE10": ("0", "100")}


NO_CONTRACT = "Record at least one contract won from a public-sector commissioner"


def ready_to_apply(
    organisation, scheme, *, contract=True, verified=2, status="monitoring", confirmed=True
):
    """An organisation with an approved plan, ``verified`` verified returns and a contract
    (confirmed by its commissioner unless ``confirmed`` is false)."""
    set_stage(organisation, status)
    db.session.commit()
    measures = make_approved_plan(organisation, scheme, TARGETS)
    for quarter in range(1, verified + 1):
        make_return(organisation, measures, quarter, {"LE1": "600", "LE4": "2", "LE10": "40"})
    if contract:
        commissioner = db.session.scalar(
            select(Commissioner).where(Commissioner.name == "Shropshire Council")
        ) or make_commissioner("Shropshire Council")
        make_contract(
            organisation,
            commissioner,
            title="Road gritting",
            confirmation_status="confirmed" if confirmed else "unconfirmed",
        )
    return measures


def refused_application(organisation, scheme, decided_by, *, days_ago=5, rationale=None):
    """A refused application, as an assessor's decision would leave it."""
    application = Application(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        status="refused",
        submitted_at=utcnow() - timedelta(days=days_ago + 20),
        snapshot={},
        decided_at=utcnow() - timedelta(days=days_ago),
        decided_by_id=decided_by.id,
        rationale=rationale or "LE1 was not met: local spend fell short of the target.",
    )
    organisation.status = "monitoring"
    db.session.add(application)
    db.session.commit()
    return application


def apply_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/charter-mark"


def application_url(organisation) -> str:
    return f"{apply_url(organisation)}/application"
