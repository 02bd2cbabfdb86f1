"""Storing evidence files: what is accepted, and the names files are stored and downloaded under."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from charter.models import EvidenceFile
from charter.services.infrastructure.evidence import (
    DOC,
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    PPTX,
    TXT,
    XLS,
    XLSX,
    clean_original_name,
    download_name,
    evidence_path,
)
from tests.services.infrastructure.evidence_helpers import (
    JPEG_BYTES,
    PNG_BYTES,
    odf_bytes,
    ole2_bytes,
    stored_files,
)
from tests.services.infrastructure.office_helpers import office_package
from tests.services.infrastructure.storage_helpers import PDF_BYTES, row_count


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (PDF_BYTES, "report.pdf", PDF),
        (PNG_BYTES, "photo.png", PNG),
        (JPEG_BYTES, "photo.jpg", JPEG),
        (office_package("word"), "letter.docx", DOCX),
        (office_package("xl"), "figures.xlsx", XLSX),
        (office_package("ppt"), "slides.pptx", PPTX),
        (odf_bytes(ODT), "letter.odt", ODT),
        (odf_bytes(ODS), "figures.ods", ODS),
        (ole2_bytes("WordDocument", "1Table"), "letter.doc", DOC),
        (ole2_bytes("Workbook"), "figures.xls", XLS),
        (b"name,hours\nAda,12\n", "volunteering.csv", "text/csv"),
        (b'\xef\xbb\xbfname,hours\n"Ren\xc3\xa9e, Jr",3\n', "with-bom.csv", "text/csv"),
        ("Apprentices started in May: 2 — Renée, Siân\n".encode(), "notes.txt", TXT),
    ],
)
def test_accepts_allowed_types_by_content(app, db, store_file, line, data, filename, content_type):
    evidence = store_file(data, filename)

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
    assert row_count() == 1


def test_stores_under_a_random_name_readable_only_by_the_service(app, store_file):
    first = store_file(PDF_BYTES)
    second = store_file(PDF_BYTES)

    assert first.stored_name != second.stored_name
    for evidence in (first, second):
        assert len(evidence.stored_name) == 32
        path = evidence_path(evidence)
        assert path.parent.name == evidence.stored_name[:2]
        assert path.parent.parent == Path(app.config["EVIDENCE_DIR"])
        assert path.stat().st_mode & 0o777 == 0o600


def test_the_type_is_the_content_not_the_extension(store_file):
    evidence = store_file(PNG_BYTES, "photo.pdf")

    assert evidence.content_type == PNG
    assert evidence.original_name == "photo.pdf"
    assert download_name(evidence) == "photo.png"


def test_a_file_of_exactly_the_limit_is_accepted(app, store_file):
    app.config["EVIDENCE_MAX_BYTES"] = 1024

    evidence = store_file(b"a" * 1024, "notes.txt")

    assert evidence.size == 1024


def test_a_path_in_the_name_never_decides_where_the_file_goes(app, db, store_file, tmp_path):
    evidence = store_file(PDF_BYTES, "../../etc/passwd.pdf")
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


def test_a_name_that_is_only_a_path_falls_back_to_a_generic_one(store_file):
    evidence = store_file(PDF_BYTES, "../")

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
