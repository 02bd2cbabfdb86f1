"""Deciding an evidence file's type by its content: the allow-list of formats, and the checks.

Hand-written signatures rather than `filetype` or `puremagic`: we accept only twelve formats,
and the hard part -- telling a .docx from any other ZIP (or from a macro-enabled .docm renamed),
or a Word .doc from an MSI installer (both OLE2 containers) -- needs a look inside the container
that neither library does reliably. The standard library's zipfile does it, so a dependency
would add little but another thing to keep up to date.

Kept apart from storage (evidence.py), so either can change without the other.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path, PurePath
from xml.etree import ElementTree

from charter.services.infrastructure.archive_limits import (
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
)

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


class EvidenceRejected(ValueError):
    """An upload we will not store; ``message`` is the error for the upload field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# An Office Open XML package says what each part is in [Content_Types].xml; Office trusts that,
# not the part's name, so a VBA project renamed "word/media/image1.png" still runs.
_CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# Substrings of the (lower-cased) content types of parts that carry code: VBA projects and
# their data, macro-enabled main documents (.docm, .xlsm, .xlsb, .pptm, templates, add-ins),
# Excel 4.0 macro sheets, and ActiveX controls.
_ACTIVE_CONTENT_MARKERS = ("vbaproject", "vbadata", "macroenabled", "macrosheet", "activex")
# The main document part's declared type, for each format we accept.
_MAIN_PART_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}


def sniff_content_type(path: Path, original_name: str, limits: ArchiveLimits | None = None) -> str:
    """The allowed content type of the file at ``path``, judged by its content.

    The name is consulted only to choose between CSV and plain text, which look alike. An
    archive (Office, OpenDocument) must keep within ``limits`` (archive_limits.py) first.
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
        return _zip_type(path, limits or ArchiveLimits())
    if head.startswith(_OLE2):
        return _ole2_type(path)
    return _text_type(path, original_name)


def _zip_type(path: Path, limits: ArchiveLimits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(path, archive, limits)
            names = archive.namelist()
            if "mimetype" in names:
                # ODF puts its type, uncompressed and tiny, in the first entry.
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read(info).decode("ascii", "replace").strip()
                    if mimetype in (ODT, ODS):
                        return mimetype
                raise EvidenceRejected(WRONG_TYPE)
            if "[Content_Types].xml" not in names:
                raise EvidenceRejected(WRONG_TYPE)
            declared = _declared_content_types(archive)
    except ArchiveRefused as refused:
        raise EvidenceRejected(str(refused)) from None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise EvidenceRejected(WRONG_TYPE) from None
    # Macro-enabled documents (.docm and friends renamed) carry a VBA project: refused, by its
    # usual part name and, whatever the part is called, by the content types the package
    # declares, which are what Office goes by.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceRejected(WRONG_TYPE)
    if any(_is_active_content(content_type) for content_type in declared):
        raise EvidenceRejected(WRONG_TYPE)
    for main_type, content_type in _MAIN_PART_TYPES.items():
        if main_type in declared:
            return content_type
    raise EvidenceRejected(WRONG_TYPE)


def _declared_content_types(archive: zipfile.ZipFile) -> set[str]:
    """Every content type in ``[Content_Types].xml``, lower-cased (Defaults and Overrides)."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _MAX_CONTENT_TYPES_BYTES:
        raise EvidenceRejected(WRONG_TYPE)
    try:
        # The standard library's expat does not fetch external entities and (2.4.1 and
        # later) refuses entity expansion bombs; the size limit above bounds the rest.
        root = ElementTree.fromstring(archive.read(info))
    except ElementTree.ParseError:
        raise EvidenceRejected(WRONG_TYPE) from None
    return {
        (element.get("ContentType") or "").strip().lower()
        for element in root.iter()
        if element.tag in (f"{{{_CONTENT_TYPES_NS}}}Default", f"{{{_CONTENT_TYPES_NS}}}Override")
    }


def _is_active_content(content_type: str) -> bool:
    return any(marker in content_type for marker in _ACTIVE_CONTENT_MARKERS)


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
