"""The organisation's side of a random audit: upload the source documents the assessor asked
for, then send them.

The documents are evidence files (same checks, same storage, same download route) marked with
the audit they were sent for, and attached to the verified return line they back. They are the
audit's, not the return's: the return stays as it was verified, and its pages do not list them.

While the assessor's request is open the organisation may add and remove files; "send" tells
the assessor they are ready (an email with a link) and locks them. If the assessor asks again,
the request reopens and the files already sent stay on the audit.
"""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import EvidenceFile, Organisation, User
from charter.models.base import utcnow
from charter.models.duties import AUDIT_DOCUMENTS_REQUESTED, AUDIT_DOCUMENTS_SENT, MarkAudit
from charter.services import notices
from charter.services.domain import signings
from charter.services.domain.audits import AuditedFigure, verified_figures
from charter.services.infrastructure import evidence as evidence_store
from workflows.lifecycle import TransitionRefused

NOT_ASKED = "The assessor is not asking for documents for this audit at the moment."
CHOOSE_FIGURE = "Select the figure this document is for"
NOTHING_TO_SEND = "Upload at least one document before you send them to the assessor."


def audit_of(organisation: Organisation, audit_id: int) -> MarkAudit | None:
    """The organisation's own audit with that id (None for another organisation's)."""
    audit = db.session.get(MarkAudit, audit_id)
    if audit is None or audit.organisation_id != organisation.id:
        return None
    return audit


def open_requests(organisation: Organisation) -> list[MarkAudit]:
    """Audits waiting for this organisation's documents (for its dashboard)."""
    return list(
        db.session.scalars(
            select(MarkAudit)
            .where(
                signings.belongs(MarkAudit, organisation),
                MarkAudit.status == AUDIT_DOCUMENTS_REQUESTED,
            )
            .order_by(MarkAudit.requested_at, MarkAudit.id)
        )
    )


def requested_figures(audit: MarkAudit) -> list[AuditedFigure]:
    """The verified figures the assessor chose, in the order the assessor saw them."""
    asked = set(audit.requested_line_ids or ())
    return [f for f in verified_figures(audit.organisation_id) if f.line.id in asked]


def documents(audit: MarkAudit) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.audit_id == audit.id)
            .order_by(EvidenceFile.uploaded_at, EvidenceFile.id)
        )
    )


def is_unsent(audit: MarkAudit, document: EvidenceFile) -> bool:
    """Uploaded since the documents were last sent (or never sent): may still be removed."""
    return audit.documents_sent_at is None or document.uploaded_at > audit.documents_sent_at


def accepts_documents(audit: MarkAudit) -> bool:
    return audit.status == AUDIT_DOCUMENTS_REQUESTED


def _require_open(audit: MarkAudit) -> None:
    if not accepts_documents(audit):
        raise TransitionRefused(NOT_ASKED)


def add_document(
    audit: MarkAudit, organisation: Organisation, line_id: int | None, upload, user: User
) -> EvidenceFile:
    """Check and store one file for a requested figure (not committed; raises EvidenceRejected
    or TransitionRefused, storing nothing)."""
    _require_open(audit)
    figure = next((f for f in requested_figures(audit) if f.line.id == line_id), None)
    if figure is None:
        raise TransitionRefused(CHOOSE_FIGURE)
    document = evidence_store.store_evidence(
        upload, organisation=organisation, line=figure.line, user=user
    )
    document.audit_id = audit.id
    return document


def remove_document(audit: MarkAudit, evidence_id: int) -> EvidenceFile | None:
    """Remove a file not yet sent; None if there is no such file on this audit."""
    _require_open(audit)
    document = db.session.scalar(
        select(EvidenceFile).where(
            EvidenceFile.id == evidence_id, EvidenceFile.audit_id == audit.id
        )
    )
    if document is None:
        return None
    if not is_unsent(audit, document):
        raise TransitionRefused("This document has been sent to the assessor and stays.")
    evidence_store.delete_evidence(document)
    return document


def send_documents(audit: MarkAudit, organisation: Organisation, user: User) -> None:
    """Tell the assessor the documents are ready; the request is answered."""
    _require_open(audit)
    if not any(is_unsent(audit, d) for d in documents(audit)):
        raise TransitionRefused(NOTHING_TO_SEND)
    audit.status = AUDIT_DOCUMENTS_SENT
    audit.documents_sent_at = utcnow()
    assessor = db.session.get(User, audit.assessor_id) if audit.assessor_id else None
    if assessor is None:
        return
    notices.audits.documents_sent(assessor, organisation, audit, user, len(documents(audit)))
