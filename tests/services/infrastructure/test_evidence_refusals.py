"""Evidence files that are refused, by size or by content, and a failed write: each leaves no file
and no row behind."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from charter.models import EvidenceFile
from charter.services.infrastructure import evidence as evidence_service
from charter.services.infrastructure.evidence import (
    SELECT_A_FILE,
    WRONG_TYPE,
    EvidenceRejected,
    store_evidence,
)
from tests.services.infrastructure.evidence_helpers import (
    CONTENT_TYPES_XML,
    ELF_BYTES,
    odf_bytes,
    ole2_bytes,
    stored_files,
    upload,
)
from tests.services.infrastructure.office_helpers import zip_bytes
from tests.services.infrastructure.storage_helpers import EXE_BYTES, PDF_BYTES, row_count


def assert_refused(app, db, excinfo, message: str) -> None:
    assert excinfo.value.message == message
    assert str(excinfo.value) == message
    assert stored_files(app) == []
    assert not any(isinstance(obj, EvidenceFile) for obj in db.session.new)
    db.session.commit()
    assert row_count() == 0


@pytest.mark.parametrize(
    "file",
    [None, FileStorage(stream=io.BytesIO(b""), filename=""), upload(b"", "empty.pdf")],
    ids=["missing", "nothing-selected", "empty"],
)
def test_refuses_a_missing_or_empty_file(app, db, organisation, line, member, file):
    with pytest.raises(EvidenceRejected) as excinfo:
        store_evidence(file, organisation=organisation, line=line, user=member)

    assert_refused(app, db, excinfo, SELECT_A_FILE)


def test_refuses_a_file_over_the_limit(app, db, store_file):
    app.config["EVIDENCE_MAX_BYTES"] = 1024

    with pytest.raises(EvidenceRejected) as excinfo:
        store_file(PDF_BYTES.ljust(1025, b" "))

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
def test_refuses_other_content(app, db, store_file, data, filename):
    with pytest.raises(EvidenceRejected) as excinfo:
        store_file(data, filename)

    assert_refused(app, db, excinfo, WRONG_TYPE)


def test_a_failed_write_leaves_no_file_and_no_row(app, db, store_file, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(evidence_service.os, "replace", broken_replace)

    with pytest.raises(OSError, match="disk full"):
        store_file(PDF_BYTES)

    assert stored_files(app) == []
    assert not any(isinstance(obj, EvidenceFile) for obj in db.session.new)
    db.session.commit()
    assert row_count() == 0
