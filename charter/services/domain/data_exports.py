"""A copy of a person's information: asked for, built into a ZIP, fetched by a signed link.

A person asks from their account page; an administrator asks for someone who wrote in. A copy
with little evidence in it is built there and then; a larger one (an owner's organisation with
many evidence files) waits for the scheduler, which builds it and emails the link. The link is
a signed token naming the row, in the same way as invitation links
(``invitation_tokens``), and stops working when the retention schedule's period for copies is
over; the row itself is deleted then by the retention job. Only the person who asked, signed
in, can download it: a forwarded email gives nobody else the copy.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.formatting import format_date
from charter.models import DataExport, User
from charter.models.base import utcnow
from charter.models.privacy import EXPORT_QUEUED, EXPORT_READY
from charter.services import notices
from charter.services.domain import invitation_tokens, personal_data
from charter.services.domain import retention_schedule as schedule
from charter.services.domain.charters import service_name
from charter.services.infrastructure.evidence import download_name
from charter.services.infrastructure.storage import evidence_storage

SALT = "data-export"
# A copy whose evidence files add up to more than this is built in the background.
DEFAULT_INLINE_MAX_BYTES = 5 * 1024 * 1024
README = """This is a copy of the information the {service} holds about you, made on {made}.

your-information.json: your account, the organisations you act for, everything the service
records you as having done, invitations sent to you and the emails it sent you.
{organisations}
Other people's names and email addresses are left out.
"""


class ExportLinkError(invitation_tokens.InvitationLinkError):
    """The link is broken, too old, or its copy has gone (``expired`` says which to tell)."""


def valid_days() -> int:
    return schedule.setting("RETENTION_EXPORT_DAYS")


def token_for(export: DataExport) -> str:
    return invitation_tokens.token_for(export, SALT)


def export_from_token(token: str) -> DataExport:
    """The copy a link names; ExportLinkError when broken, expired or deleted."""
    try:
        export_id = invitation_tokens.id_from_token(
            token, SALT, seconds=valid_days() * 24 * 60 * 60
        )
    except invitation_tokens.InvitationLinkError as exc:
        raise ExportLinkError(expired=exc.expired) from exc
    export = db.session.get(DataExport, export_id)
    if export is None:
        raise ExportLinkError(expired=True)  # deleted by the retention job: it has expired
    if export.expires_at is not None and export.expires_at < utcnow():
        raise ExportLinkError(expired=True)
    return export


def evidence_bytes(subject: User) -> int:
    return sum(
        evidence.size
        for organisation in personal_data.owned_organisations(subject)
        for evidence in personal_data.evidence_of(organisation)
    )


def request_export(subject: User, requested_by: User) -> DataExport:
    """Ask for a copy (the caller commits). Built now if small, else left for the scheduler."""
    export = DataExport(subject_id=subject.id, requested_by_id=requested_by.id)
    db.session.add(export)
    db.session.flush()
    limit = current_app.config.get("DATA_EXPORT_INLINE_MAX_BYTES", DEFAULT_INLINE_MAX_BYTES)
    if evidence_bytes(subject) <= limit:
        build(export, subject)
    return export


def build(export: DataExport, subject: User) -> None:
    """Write the ZIP into the row and mark it ready (the caller commits)."""
    buffer = io.BytesIO()
    now = utcnow()
    organisations = personal_data.owned_organisations(subject)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "your-information.json",
            json.dumps(personal_data.about(subject), indent=2, ensure_ascii=False),
        )
        listed = ""
        storage = evidence_storage()
        for organisation in organisations:
            folder = f"organisations/{organisation.slug}"
            archive.writestr(
                f"{folder}/records.json",
                json.dumps(
                    personal_data.organisation_records(organisation, subject.id),
                    indent=2,
                    ensure_ascii=False,
                ),
            )
            for evidence in personal_data.evidence_of(organisation):
                stream = storage.open(evidence.stored_name)
                if stream is None:
                    continue
                with stream:
                    archive.writestr(
                        f"{folder}/evidence/{evidence.id}-{download_name(evidence)}", stream.read()
                    )
            listed += (
                f"\n{folder}/: {organisation.name}, which you own: its records (records.json) "
                "and evidence files.\n"
            )
        archive.writestr(
            "README.txt",
            README.format(
                service=service_name(),
                made=format_date(now),
                organisations=listed,
            ),
        )
    export.content = buffer.getvalue()
    export.size = len(export.content)
    export.status = EXPORT_READY
    export.ready_at = now
    export.expires_at = now + timedelta(days=valid_days())


def build_queued(limit: int = 20) -> int:
    """Build copies waiting in the queue and email each link to whoever asked; commits each."""
    built = 0
    for export in db.session.scalars(
        select(DataExport)
        .where(DataExport.status == EXPORT_QUEUED)
        .order_by(DataExport.id)
        .limit(limit)
    ).all():
        subject = db.session.get(User, export.subject_id)
        requester = db.session.get(User, export.requested_by_id)
        build(export, subject)
        notices.privacy.copy_ready(
            requester, subject, token_for(export), valid_days(), export.expires_at
        )
        db.session.commit()
        built += 1
    return built


def exports_requested_by(user: User, subject: User | None = None) -> list[DataExport]:
    query = select(DataExport).where(DataExport.requested_by_id == user.id)
    if subject is not None:
        query = query.where(DataExport.subject_id == subject.id)
    return list(db.session.scalars(query.order_by(DataExport.id.desc()).limit(20)))


def zip_bytes(export: DataExport) -> bytes:
    return db.session.scalar(select(DataExport.content).where(DataExport.id == export.id))
