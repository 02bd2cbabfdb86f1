"""Notices about a random audit of a holder: documents requested and sent, concerns referred
to the administrators."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import User
from charter.models.user import ROLE_ADMIN
from charter.services.notices.links import link
from charter.services.notices.outbox import email_members, queue_email


def documents_requested(organisation, audit, figures: list, assessor) -> None:
    email_members(
        organisation,
        f"{organisation.name}: send the source documents for your Charter Mark audit",
        "audit-documents-requested",
        audit=audit,
        figures=figures,
        assessor=assessor,
        documents_url=link("organisation.show_audit", slug=organisation.slug, audit_id=audit.id),
    )


def referred(organisation, audit, assessor) -> None:
    """To every administrator: the assessor had concerns, and an administrator decides."""
    admins = db.session.scalars(select(User).where(User.role == ROLE_ADMIN).order_by(User.id))
    for admin in admins:
        queue_email(
            admin.email,
            f"Audit concerns about {organisation.name}: your decision is needed",
            "audit-referred",
            recipient=admin,
            organisation=organisation,
            audit=audit,
            assessor=assessor,
            decision_url=link("admin.decide_audit", audit_id=audit.id),
        )


def documents_sent(assessor, organisation, audit, sender, count: int) -> None:
    queue_email(
        assessor.email,
        f"Audit of {organisation.name}: the source documents are ready",
        "audit-documents-sent",
        recipient=assessor,
        organisation=organisation,
        audit=audit,
        sender=sender,
        count=count,
        audit_url=link("assessor.show_audit", audit_id=audit.id),
    )
