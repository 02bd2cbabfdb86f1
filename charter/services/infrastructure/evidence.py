"""Evidence files: check an upload, store it under a random name, find it again, remove it.

Types are decided by content, in ``evidence_sniffing`` (kept apart from the storage here).

Where the bytes are kept is storage.py's business (a local directory or an S3 bucket). The
upload is written to a staging file, fsynced and checked, then put in place, and only then is
its row added to the session: a refused or failed upload leaves neither a partial file nor a
row. The caller commits; if the transaction ends without a commit the file is removed again
(and the caller may also call `discard_unreferenced`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePath

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from charter.extensions import db
from charter.formatting import format_file_size
from charter.models import EvidenceFile
from charter.services.infrastructure.archive_limits import ArchiveLimits
from charter.services.infrastructure.evidence_sniffing import (  # noqa: F401  (re-exported)
    ALLOWED_TYPES,
    CSV,
    DOC,
    DOCX,
    EXTENSIONS,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    SELECT_A_FILE,
    TXT,
    WRONG_TYPE,
    XLS,
    XLSX,
    EvidenceRejected,
    sniff_content_type,
)
from charter.services.infrastructure.storage import STORED_NAME, LocalStorage, evidence_storage

_CHUNK = 64 * 1024
_MAX_NAME = 255


def too_large_message() -> str:
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    return f"The selected file must be smaller than {format_file_size(limit)}"


def store_evidence(
    upload: FileStorage | None, *, organisation, line, user, figure=None
) -> EvidenceFile:
    """Check and store one uploaded file for a return line.

    Adds the EvidenceFile row to db.session (not committed) after the file is completely
    stored. Raises EvidenceRejected, leaving no file behind, on any refusal. If the session's
    transaction then ends without a commit, the stored file is removed again.
    """
    if upload is None or not upload.filename:
        raise EvidenceRejected(SELECT_A_FILE)
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    storage = evidence_storage()
    stored_name = secrets.token_hex(16)
    temp_path = storage.staging_path(stored_name)
    digest = hashlib.sha256()
    size = 0
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(temp_path, flags, 0o600)
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise EvidenceRejected(too_large_message())
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise EvidenceRejected(SELECT_A_FILE)
        original_name = clean_original_name(upload.filename)
        limits = ArchiveLimits.from_config(current_app.config)
        content_type = sniff_content_type(temp_path, original_name, limits)
        storage.commit(stored_name, temp_path, content_type)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    evidence = EvidenceFile(
        organisation_id=organisation.id,
        return_line_id=line.id,
        contract_figure_id=figure.id if figure is not None else None,
        original_name=original_name or "evidence" + EXTENSIONS[content_type][0],
        stored_name=stored_name,
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type,
        uploaded_by_id=user.id if user is not None else None,
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault("evidence_stored", []).append(stored_name)
    session.add(evidence)
    return evidence


def commit_stored(evidence: EvidenceFile) -> str:
    """Commit the transaction that added ``evidence``; if the commit fails, remove its file
    (nothing refers to it) and re-raise. Returns the file's original name, for the message."""
    name, stored_name = evidence.original_name, evidence.stored_name
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard_unreferenced([stored_name])
        raise
    return name


def delete_evidence(evidence: EvidenceFile) -> None:
    """Remove the row from the session; the file goes when that deletion is committed, so a
    failed commit never leaves a row whose file has gone."""
    session = db.session()
    session.delete(evidence)
    if not session.in_transaction():
        session.begin()
    session.info.setdefault("evidence_to_remove", []).append(evidence.stored_name)


def evidence_path(evidence: EvidenceFile) -> Path:
    """Where a file is on disk: only for the local directory store (tests, the move command)."""
    storage = evidence_storage()
    if not isinstance(storage, LocalStorage):
        raise TypeError("evidence is not stored in a local directory")
    return storage.path_for(evidence.stored_name)


def discard_unreferenced(stored_names: Iterable[str]) -> None:
    """Remove stored files that no row refers to: call after rolling back uploads."""
    names = {name for name in stored_names if STORED_NAME.match(name)}
    if not names:
        return
    referenced = set(
        db.session.scalars(
            select(EvidenceFile.stored_name).where(EvidenceFile.stored_name.in_(names))
        )
    )
    storage = evidence_storage()
    for name in sorted(names - referenced):
        storage.delete(name)


def clean_original_name(filename: str) -> str:
    """The uploaded name without any path or control characters, at most 255 characters.

    Kept only to show and to name the download; it never decides where the file is written.
    """
    name = re.split(r"[\\/]", filename)[-1]
    # Cc: control characters; Cf: invisible formatting such as right-to-left overrides,
    # which can make "evil\u202efdp.exe" look like "evilexe.pdf".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.strip()
    if not name.strip("."):
        return ""
    if len(name) > _MAX_NAME:
        suffix = PurePath(name).suffix
        if len(suffix) > 16:
            suffix = ""
        name = name[: _MAX_NAME - len(suffix)] + suffix
    return name


def download_name(evidence: EvidenceFile) -> str:
    """A safe ASCII name for the download, with an extension that fits the stored type."""
    extensions = EXTENSIONS.get(evidence.content_type, (".bin",))
    stem, suffix = os.path.splitext(evidence.original_name)
    # secure_filename drops what is not ASCII: a name wholly in another script becomes "".
    stem = secure_filename(stem) or "evidence"
    suffix = suffix.lower()
    if suffix not in extensions:
        # A PNG uploaded as "photo.pdf" downloads as "photo.png", so it opens in the right app.
        suffix = extensions[0]
    return stem + suffix


@event.listens_for(Session, "after_commit")
def _remove_deleted_files(session: Session) -> None:
    # Committed uploads stay; committed deletions take their files with them.
    session.info.pop("evidence_stored", None)
    names = session.info.pop("evidence_to_remove", None)
    if names:
        storage = evidence_storage()
        for name in names:
            storage.delete(name)


@event.listens_for(Session, "after_transaction_end")
def _keep_files_of_abandoned_deletions(session: Session, transaction) -> None:
    # Runs after after_commit; on a rollback or close the deletions never happened, and the
    # files stored for rows that were never committed are removed: no object without a row.
    if transaction.parent is None:
        session.info.pop("evidence_to_remove", None)
        orphans = session.info.pop("evidence_stored", None)
        if orphans:
            storage = evidence_storage()
            for name in orphans:
                try:
                    storage.delete(name)
                except Exception:  # the store is down: the object stays, unreferenced
                    current_app.logger.exception("could not remove an abandoned evidence file")
