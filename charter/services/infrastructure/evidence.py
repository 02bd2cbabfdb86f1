"""Evidence files: check an upload, store it under a random name, find it again, remove it.

Types are decided by content, with hand-written signatures rather than `filetype` or
`puremagic`: we accept only twelve formats, and the hard part -- telling a .docx from any other
ZIP, or a Word .doc from an MSI installer (both OLE2 containers) -- needs a look inside the
container that neither library does reliably. The standard library's zipfile does it, so a
dependency would add little but another thing to keep up to date.

Where the bytes are kept is storage.py's business (a local directory or an S3 bucket). The
upload is written to a staging file, fsynced and checked, then put in place, and only then is
its row added to the session: a refused or failed upload leaves neither a partial file nor a
row. The caller commits; if the transaction ends without a commit the file is removed again
(and the caller may also call `discard_unreferenced`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePath

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from charter.extensions import db
from charter.models import EvidenceFile
from charter.services.infrastructure.storage import STORED_NAME, LocalStorage, evidence_storage

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
CSV = "text/csv"
TXT = "text/plain"

ALLOWED_TYPES: dict[str, str] = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    DOCX: "Word document",
    XLSX: "Excel spreadsheet",
    PPTX: "PowerPoint presentation",
    DOC: "Word document",
    XLS: "Excel spreadsheet",
    ODT: "OpenDocument text",
    ODS: "OpenDocument spreadsheet",
    CSV: "CSV file",
    TXT: "Text file",
}

# The first is the one a download gets when the uploaded name's extension does not fit.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    DOC: (".doc",),
    XLS: (".xls",),
    ODT: (".odt",),
    ODS: (".ods",),
    CSV: (".csv",),
    TXT: (".txt",),
}

SELECT_A_FILE = "Select a file"
WRONG_TYPE = (
    "The selected file must be a PDF, image (PNG or JPEG), Word, Excel, PowerPoint, "
    "OpenDocument, CSV or text file"
)

_CHUNK = 64 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_PNG = b"\x89PNG\r\n\x1a\n"
_MAX_NAME = 255


class EvidenceRejected(ValueError):
    """An upload we will not store; ``message`` is the error for the upload field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_large_message() -> str:
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    if limit >= 1024 * 1024:
        return f"The selected file must be smaller than {limit / (1024 * 1024):g}MB"
    return f"The selected file must be smaller than {limit / 1024:g}KB"


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
        content_type = sniff_content_type(temp_path, original_name)
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


def sniff_content_type(path: Path, original_name: str) -> str:
    """The allowed content type of the file at ``path``, judged by its content.

    The name is consulted only to choose between CSV and plain text, which look alike.
    """
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_PNG) and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP):
        return _zip_type(path)
    if head.startswith(_OLE2):
        return _ole2_type(path)
    return _text_type(path, original_name)


def _zip_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # ODF puts its type, uncompressed and tiny, in the first entry.
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read(info).decode("ascii", "replace").strip()
                    if mimetype in (ODT, ODS):
                        return mimetype
                raise EvidenceRejected(WRONG_TYPE)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise EvidenceRejected(WRONG_TYPE) from None
    if "[Content_Types].xml" not in names:
        raise EvidenceRejected(WRONG_TYPE)
    # Macro-enabled documents (.docm and friends renamed) carry a VBA project: refused.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceRejected(WRONG_TYPE)
    for folder, content_type in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(name.startswith(folder) for name in names):
            return content_type
    raise EvidenceRejected(WRONG_TYPE)


def _ole2_type(path: Path) -> str:
    """Word or Excel 97-2003 by the names of the streams in the compound file's directory.

    Other OLE2 files -- MSI installers, Outlook messages -- are refused. Directory entries are
    128 bytes, 128-byte aligned, with a UTF-16 name, its length and an object type (2 = stream).
    """
    wanted = {"WordDocument": DOC, "Workbook": XLS, "Book": XLS}
    with open(path, "rb") as f:
        f.seek(512)
        while block := f.read(_CHUNK):
            for offset in range(0, len(block) - 127, 128):
                entry = block[offset : offset + 128]
                name_length = int.from_bytes(entry[64:66], "little")
                if entry[66] != 2 or not 2 <= name_length <= 64 or name_length % 2:
                    continue
                name = entry[: name_length - 2].decode("utf-16-le", "replace")
                if name in wanted:
                    return wanted[name]
    raise EvidenceRejected(WRONG_TYPE)


def _text_type(path: Path, original_name: str) -> str:
    data = path.read_bytes()
    if b"\x00" in data:
        raise EvidenceRejected(WRONG_TYPE)
    try:
        text = data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError:
        raise EvidenceRejected(WRONG_TYPE) from None
    if PurePath(original_name).suffix.lower() != ".csv":
        return TXT
    try:
        for _row in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error:
        raise EvidenceRejected(WRONG_TYPE) from None
    return CSV


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
