"""Office and OpenDocument evidence is a zip archive: one that would unpack to too much (a zip
bomb), is compressed too far, has too many entries or lies in its headers is refused through
the upload page with a message, and nothing is stored: no file and no row (issue 18)."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import EvidenceFile
from tests.organisation.return_helpers import open_returns, upload
from tests.services.infrastructure.evidence_helpers import stored_files
from tests.services.infrastructure.office_helpers import MAIN_TYPES, content_types_xml

MB = 1024 * 1024
DOCX_MAIN = "word/document.xml"
ODT = "application/vnd.oasis.opendocument.text"


def docx(extra: dict[str, bytes] | None = None, *, zeros: int = 0, parts: int = 0) -> bytes:
    """A real .docx package, with ``extra`` parts, a part of ``zeros`` zero bytes (written in
    chunks and deflated, so 60MB is about 60KB on disk) and ``parts`` more tiny parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml({DOCX_MAIN: MAIN_TYPES["word"]}))
        archive.writestr(DOCX_MAIN, "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        if zeros:
            with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
                for start in range(0, zeros, MB):
                    part.write(bytes(min(MB, zeros - start)))
        for i in range(parts):
            archive.writestr(zipfile.ZipInfo(f"word/p{i}.xml"), b"")
    return buffer.getvalue()


def _unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


DOCX_BASE = _unpacked(docx())  # what the package unpacks to without extra parts


def odt(zeros: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT)  # stored, first, as ODF requires
        archive.writestr("content.xml", bytes(zeros), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def lying(data: bytes, name: str, claimed: int) -> bytes:
    """``data`` with the sizes and checksum of entry ``name`` rewritten, in both its local and
    central headers, to say it unpacks to only its first ``claimed`` bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        real = archive.read(name)
    crc = zlib.crc32(real[:claimed]).to_bytes(4, "little")
    size = claimed.to_bytes(4, "little")
    out = bytearray(data)
    encoded = name.encode()
    for signature, crc_at, name_at in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            if out[start + name_at : start + name_at + len(encoded)] == encoded:
                out[start + crc_at : start + crc_at + 4] = crc
                out[start + crc_at + 8 : start + crc_at + 12] = size
            start += 4
    return bytes(out)


def _refused_upload(member_client, organisation, scheme, content, name):
    first, _ = open_returns(organisation, scheme)
    response = upload(member_client, organisation, first, "LE1", content, name)
    return response, response.get_data(as_text=True)


def _nothing_stored(app) -> None:
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert stored_files(app) == []


# Rows of a sheet: XML that repeats itself, as real documents do, and compresses about 10 to 1.
SHEET_XML = "".join(f'<row r="{i}"><c r="A{i}"><v>{i * 37}</v></c></row>' for i in range(20_000))

REFUSED = [
    pytest.param(
        lambda: docx(zeros=60 * MB),
        "bomb.docx",
        {},
        "The selected file must be smaller than 50MB when opened",
        id="60MB-of-zeros-named-docx",
    ),
    pytest.param(
        lambda: docx(zeros=5 * MB),
        "squeezed.docx",
        {},
        "The selected file is compressed more than 100 to 1",
        id="ratio-over-100",
    ),
    pytest.param(
        lambda: odt(5 * MB),
        "squeezed.odt",
        {},
        "The selected file is compressed more than 100 to 1",
        id="opendocument-ratio-over-100",
    ),
    pytest.param(
        lambda: docx(parts=10_000),
        "many.docx",
        {},
        "The selected file must contain no more than 10,000 parts",
        id="10002-entries",
    ),
    pytest.param(
        lambda: lying(docx({"word/media/a.bin": bytes(200_000)}), "word/media/a.bin", 1_000),
        "lying.docx",
        {"EVIDENCE_ZIP_MAX_RATIO": 10_000},
        "The selected file is damaged or has been altered",
        id="header-says-smaller-than-it-unpacks",
    ),
    pytest.param(
        lambda: docx({"word/media/a.bin": os.urandom(3 * 1024 - DOCX_BASE + 1)}),
        "over.docx",
        {"EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES": 3 * 1024},
        "The selected file must be smaller than 3KB when opened",
        id="just-over-a-configured-limit",
    ),
    pytest.param(
        lambda: docx(parts=4),
        "parts.docx",
        {"EVIDENCE_ZIP_MAX_ENTRIES": 5},
        "The selected file must contain no more than 5 parts",
        id="one-entry-over-a-configured-count",
    ),
]


@pytest.mark.parametrize(("build", "name", "config", "message"), REFUSED)
def test_an_archive_over_a_limit_is_refused_and_nothing_stored(
    app, member_client, organisation, scheme, build, name, config, message
):
    app.config.update(config)
    response, html = _refused_upload(member_client, organisation, scheme, build(), name)
    assert response.status_code == 200
    assert message in html and "<title>Error:" in html
    _nothing_stored(app)


ACCEPTED = [
    pytest.param(lambda: docx(), {}, id="ordinary-docx"),
    pytest.param(
        lambda: docx({"word/media/a.bin": os.urandom(3 * 1024 - DOCX_BASE)}),
        {"EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES": 3 * 1024},
        id="at-a-configured-size-limit",
    ),
    pytest.param(lambda: docx(parts=3), {"EVIDENCE_ZIP_MAX_ENTRIES": 5}, id="at-the-entry-limit"),
    pytest.param(lambda: docx({"xl/sheet1.xml": SHEET_XML}), {}, id="spreadsheet-like-xml"),
]


@pytest.mark.parametrize(("build", "config"), ACCEPTED)
def test_an_archive_within_the_limits_is_accepted(
    app, member_client, organisation, scheme, build, config
):
    app.config.update(config)
    first, _ = open_returns(organisation, scheme)
    response = upload(member_client, organisation, first, "LE1", build(), "report.docx")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 1
