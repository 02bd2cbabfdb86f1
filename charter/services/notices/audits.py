"""Notices about a random audit of a holder: documents requested and sent, concerns referred
to the administrators."""

from __future__ import annotations

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


def referred(organisation, audit, assessor, administrators) -> None:
    """To every administrator of the organisation's charter: the assessor had concerns, and an
    administrator decides."""
    for admin in administrators:
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
