"""Storing evidence files: what is accepted, what is refused, and what is left behind."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from charter.models import EvidenceFile, Measure, MonitoringReturn, ReturnLine
from charter.services.infrastructure import evidence as evidence_service
from charter.services.infrastructure.evidence import (
    DOC,
    DOCX,
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
    clean_original_name,
    delete_evidence,
    discard_unreferenced,
    download_name,
    evidence_path,
    store_evidence,
)
from tests.services.infrastructure.office_helpers import office_package

# ---- tiny real files -------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES_XML = '<?xml version="1.0"?><Types xmlns="urn:x"/>'


def office_bytes(folder: str, main: str) -> bytes:
    return office_package(folder)


def odf_bytes(mimetype: str) -> bytes:
    return zip_bytes({"mimetype": mimetype, "content.xml": "<x/>"})


def ole2_bytes(*stream_names: str) -> bytes:
    """A compound file header and one directory sector naming ``stream_names``."""

    def entry(name: str, object_type: int) -> bytes:
        encoded = name.encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + (len(encoded) + 2).to_bytes(2, "little")
            + bytes([object_type])
        ).ljust(128, b"\x00")

    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\x00")
    directory = entry("Root Entry", 5) + b"".join(entry(n, 2) for n in stream_names)
    return header + directory.ljust(512, b"\x00")


def upload(data: bytes, filename: str = "evidence.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def make_return_line(organisation) -> ReturnLine:
    """A draft monitoring return with one line, for evidence to hang from."""
    from charter.extensions import db

    monitoring_return = MonitoringReturn(
        organisation_id=organisation.id,
        period_start=date(2025, 4, 1),
        period_end=date(2025, 9, 30),
        due_date=date(2025, 10, 31),
    )
    db.session.add(monitoring_return)
    db.session.flush()
    measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
    line = ReturnLine(return_id=monitoring_return.id, measure_id=measure.id)
    db.session.add(line)
    db.session.commit()
    return line


@pytest.fixture
def line(organisation):
    return make_return_line(organisation)


@pytest.fixture
def store(organisation, line, member):
    def _store(data: bytes, filename: str = "evidence.pdf") -> EvidenceFile:
        return store_evidence(
            upload(data, filename), organisation=organisation, line=line, user=member
        )

    return _store


def stored_files(app) -> list[Path]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def row_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(EvidenceFile))


# ---- accepted --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (PDF_BYTES, "report.pdf", PDF),
        (PNG_BYTES, "photo.png", PNG),
        (JPEG_BYTES, "photo.jpg", JPEG),
        (office_bytes("word", "document.xml"), "letter.docx", DOCX),
        (office_bytes("xl", "workbook.xml"), "figures.xlsx", XLSX),
        (office_bytes("ppt", "presentation.xml"), "slides.pptx", PPTX),
        (odf_bytes(ODT), "letter.odt", ODT),
        (odf_bytes(ODS), "figures.ods", ODS),
        (ole2_bytes("WordDocument", "1Table"), "letter.doc", DOC),
        (ole2_bytes("Workbook"), "figures.xls", XLS),
        (b"name,hours\nAda,12\n", "volunteering.csv", "text/csv"),
        (b'\xef\xbb\xbfname,hours\n"Ren\xc3\xa9e, Jr",3\n', "with-bom.csv", "text/csv"),
        ("Apprentices started in May: 2 — Renée, Siân\n".encode(), "notes.txt", TXT),
    ],
)
def test_accepts_allowed_types_by_content(app, db, store, line, data, filename, content_type):
    evidence = store(data, filename)

    assert evidence in db.session.new
    assert evidence.content_type == content_type
    assert evidence.original_name == filename
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.return_line_id == line.id
    path = evidence_path(evidence)
    assert path.read_bytes() == data
    assert stored_files(app) == [path]
    db.session.commit()
    assert row_count(db) == 1


def test_stores_under_a_random_name_readable_only_by_the_service(app, store):
    first = store(PDF_BYTES)
    second = store(PDF_BYTES)

    assert first.stored_name != second.stored_name
    for evidence in (first, second):
        assert len(evidence.stored_name) == 32
        path = evidence_path(evidence)
        assert path.parent.name == evidence.stored_name[:2]
        assert path.parent.parent == Path(app.config["EVIDENCE_DIR"])
        assert path.stat().st_mode & 0o777 == 0o600


def test_the_type_is_the_content_not_the_extension(store):
    evidence = store(PNG_BYTES, "photo.pdf")

    assert evidence.content_type == PNG
    assert evidence.original_name == "photo.pdf"
    assert download_name(evidence) == "photo.png"


def test_a_file_of_exactly_the_limit_is_accepted(app, store):
    app.config["EVIDENCE_MAX_BYTES"] = 1024

    evidence = store(b"a" * 1024, "notes.txt")

    assert evidence.size == 1024


# ---- refused ---------------------------------------------------------------------------


def assert_refused(app, db, excinfo, message: str) -> None:
    assert excinfo.value.message == message
    assert str(excinfo.value) == message
    assert stored_files(app) == []
    assert not any(isinstance(obj, EvidenceFile) for obj in db.session.new)
    db.session.commit()
    assert row_count(db) == 0


@pytest.mark.parametrize(
    "file",
    [None, FileStorage(stream=io.BytesIO(b""), filename=""), upload(b"", "empty.pdf")],
    ids=["missing", "nothing-selected", "empty"],
)
def test_refuses_a_missing_or_empty_file(app, db, organisation, line, member, file):
    with pytest.raises(EvidenceRejected) as excinfo:
        store_evidence(file, organisation=organisation, line=line, user=member)

    assert_refused(app, db, excinfo, SELECT_A_FILE)


def test_refuses_a_file_over_the_limit(app, db, store):
    app.config["EVIDENCE_MAX_BYTES"] = 1024

    with pytest.raises(EvidenceRejected) as excinfo:
        store(PDF_BYTES.ljust(1025, b" "))

    assert_refused(app, db, excinfo, "The selected file must be smaller than 1KB")


def test_the_default_limit_is_10mb(app):
    assert app.config["EVIDENCE_MAX_BYTES"] == 10 * 1024 * 1024
    assert evidence_service.too_large_message() == "The selected file must be smaller than 10MB"


def test_stops_reading_as_soon_as_the_limit_is_passed(app, db, organisation, line, member):
    app.config["EVIDENCE_MAX_BYTES"] = 100 * 1024

    class EndlessStream:
        """An upload that never ends: it must not be read to the end."""

        read_bytes = 0

        def read(self, size=-1):
            size = 4096 if size is None or size < 0 else size
            self.read_bytes += size
            return b"a" * size

    stream = EndlessStream()
    with pytest.raises(EvidenceRejected) as excinfo:
        store_evidence(
            FileStorage(stream=stream, filename="big.txt"),
            organisation=organisation,
            line=line,
            user=member,
        )

    assert stream.read_bytes <= 100 * 1024 + 64 * 1024
    assert_refused(app, db, excinfo, "The selected file must be smaller than 100KB")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (EXE_BYTES, "evidence.pdf"),
        (ELF_BYTES, "evidence.pdf"),
        (zip_bytes({"readme.txt": "hello", "word/document.xml": "<x/>"}), "letter.docx"),
        (zip_bytes({"[Content_Types].xml": CONTENT_TYPES_XML, "other/x.xml": "x"}), "a.docx"),
        (
            zip_bytes(
                {
                    "[Content_Types].xml": CONTENT_TYPES_XML,
                    "word/document.xml": "<x/>",
                    "word/vbaProject.bin": b"\x00macro",
                }
            ),
            "macros.docx",
        ),
        (odf_bytes("application/vnd.oasis.opendocument.graphics"), "drawing.odt"),
        (zip_bytes({"mimetype": "x" * 500}), "odd.odt"),
        (b"PK\x03\x04 not really a zip", "broken.docx"),
        (ole2_bytes("\x05SummaryInformation", "Binary.Icon"), "setup.doc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "truncated.xls"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "animation.gif"),
        (b"plain text\x00with a NUL", "notes.txt"),
        (b"caf\xe9 in Latin-1", "notes.txt"),
        (b'name,hours\n"Ada"x,12\n', "broken.csv"),
    ],
    ids=[
        "exe-renamed-pdf",
        "elf-renamed-pdf",
        "zip-without-content-types",
        "ooxml-of-no-known-kind",
        "macro-enabled",
        "other-odf",
        "oversized-odf-mimetype",
        "broken-zip",
        "ole2-installer",
        "truncated-ole2",
        "gif",
        "nul-byte",
        "not-utf8",
        "malformed-csv",
    ],
)
def test_refuses_other_content(app, db, store, data, filename):
    with pytest.raises(EvidenceRejected) as excinfo:
        store(data, filename)

    assert_refused(app, db, excinfo, WRONG_TYPE)


def test_a_failed_write_leaves_no_file_and_no_row(app, db, store, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(evidence_service.os, "replace", broken_replace)

    with pytest.raises(OSError, match="disk full"):
        store(PDF_BYTES)

    assert stored_files(app) == []
    assert not any(isinstance(obj, EvidenceFile) for obj in db.session.new)
    db.session.commit()
    assert row_count(db) == 0


# ---- names -----------------------------------------------------------------------------


def test_a_path_in_the_name_never_decides_where_the_file_goes(app, db, store, tmp_path):
    evidence = store(PDF_BYTES, "../../etc/passwd.pdf")
    db.session.commit()

    root = Path(app.config["EVIDENCE_DIR"]).resolve()
    path = evidence_path(evidence).resolve()
    assert path.is_relative_to(root)
    assert path.name == evidence.stored_name
    assert "passwd" not in str(path)
    assert stored_files(app) == [evidence_path(evidence)]
    assert not (tmp_path / "etc").exists()
    assert evidence.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("filename", "cleaned"),
    [
        ("C:\\Users\\olive\\Documents\\report.pdf", "report.pdf"),
        ("/home/olive/report.pdf", "report.pdf"),
        ("..\\..\\windows\\system.pdf", "system.pdf"),
        ("re\x00port\r\n.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("  Annual report 2025.pdf  ", "Annual report 2025.pdf"),
        ("..", ""),
        ("dir/", ""),
    ],
)
def test_clean_original_name(filename, cleaned):
    assert clean_original_name(filename) == cleaned


def test_a_long_name_is_cut_to_255_characters_keeping_its_extension():
    cleaned = clean_original_name("a" * 400 + ".pdf")

    assert len(cleaned) == 255
    assert cleaned.endswith(".pdf")


def test_a_name_that_is_only_a_path_falls_back_to_a_generic_one(store):
    evidence = store(PDF_BYTES, "../")

    assert evidence.original_name == "evidence.pdf"
    assert download_name(evidence) == "evidence.pdf"


@pytest.mark.parametrize(
    ("original_name", "content_type", "expected"),
    [
        ("Annual report 2025.pdf", PDF, "Annual_report_2025.pdf"),
        ("Café receipts.jpeg", JPEG, "Cafe_receipts.jpeg"),
        ("../../etc/passwd.pdf", PDF, "etc_passwd.pdf"),
        ("page.html", TXT, "page.txt"),
        ("文件.pdf", PDF, "evidence.pdf"),
        ("no extension", DOCX, "no_extension.docx"),
    ],
)
def test_download_name_is_safe_and_fits_the_type(original_name, content_type, expected):
    evidence = EvidenceFile(original_name=original_name, content_type=content_type)

    assert download_name(evidence) == expected


# ---- deleting and discarding -----------------------------------------------------------


def test_delete_removes_the_row_and_the_file_once_committed(app, db, store):
    evidence = store(PDF_BYTES)
    db.session.commit()
    path = evidence_path(evidence)

    delete_evidence(evidence)
    assert path.exists()  # until the deletion is committed
    db.session.commit()

    assert not path.exists()
    assert row_count(db) == 0


def test_a_rolled_back_delete_keeps_the_file(app, db, store):
    evidence = store(PDF_BYTES)
    db.session.commit()
    path = evidence_path(evidence)

    delete_evidence(evidence)
    db.session.rollback()
    db.session.commit()

    assert path.exists()
    assert row_count(db) == 1


def test_a_delete_abandoned_with_the_session_keeps_the_file(app, db, store):
    evidence = store(PDF_BYTES)
    db.session.commit()
    path = evidence_path(evidence)

    delete_evidence(evidence)
    db.session.close()
    db.session.commit()

    assert path.exists()
    assert row_count(db) == 1


def test_discard_unreferenced_removes_only_files_without_rows(app, db, store):
    kept = store(PDF_BYTES, "kept.pdf")
    db.session.commit()
    rolled_back = store(PNG_BYTES, "rolled-back.png")
    names = [kept.stored_name, rolled_back.stored_name]
    rolled_back_path = evidence_path(rolled_back)
    db.session.rollback()

    discard_unreferenced([*names, "../../etc/passwd", "not-a-name"])

    assert not rolled_back_path.exists()
    assert stored_files(app) == [evidence_path(kept)]


def test_evidence_path_refuses_a_name_it_did_not_make(app):
    with pytest.raises(ValueError):
        evidence_path(EvidenceFile(stored_name="../../etc/passwd"))


def test_files_are_written_with_exclusive_create(app, store, monkeypatch):
    """The temporary file is opened O_EXCL with mode 0600, so nothing is overwritten."""
    calls = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, **kwargs):
        calls.append((str(path), flags, mode))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(evidence_service.os, "open", recording_open)
    store(PDF_BYTES)

    created = [c for c in calls if c[1] & os.O_CREAT]
    assert len(created) == 1
    _path, flags, mode = created[0]
    assert flags & os.O_EXCL
    assert mode == 0o600
