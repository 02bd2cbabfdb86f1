"""Office packages are judged by the content types they declare, not by their parts' names
(issue 11, item 14): a macro part renamed to look harmless is still a macro."""

from __future__ import annotations

import pytest

from charter.services.infrastructure.evidence_sniffing import (
    DOCX,
    PPTX,
    WRONG_TYPE,
    XLSX,
    EvidenceRejected,
    sniff_content_type,
)
from tests.services.infrastructure.office_helpers import (
    DOCM_MAIN,
    VBA_PROJECT,
    content_types_xml,
    office_package,
)


def sniff(tmp_path, data: bytes, name: str = "evidence.docx") -> str:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return sniff_content_type(path, name)


@pytest.mark.parametrize(("folder", "expected"), [("word", DOCX), ("xl", XLSX), ("ppt", PPTX)])
def test_a_plain_office_document_is_accepted(tmp_path, folder, expected):
    assert sniff(tmp_path, office_package(folder)) == expected


REFUSED = {
    "VBA project renamed as an image, declared by override": office_package(
        "word",
        extra_parts={"word/media/image1.png": b"\x00vba"},
        extra_overrides={"word/media/image1.png": VBA_PROJECT},
    ),
    "VBA project under a new extension, declared by default": office_package(
        "word", extra_parts={"word/thing.dat": b"\x00vba"}, defaults={"dat": VBA_PROJECT}
    ),
    "macro-enabled main document (.docm renamed .docx)": office_package(
        "word", main_type=DOCM_MAIN
    ),
    "macro-enabled workbook": office_package(
        "xl", main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    ),
    "Excel 4.0 macro sheet": office_package(
        "xl",
        extra_parts={"xl/worksheets/sheet2.xml": "<x/>"},
        extra_overrides={
            "xl/worksheets/sheet2.xml": "application/vnd.ms-excel.macrosheet+xml",
        },
    ),
    "ActiveX control": office_package(
        "word",
        extra_parts={"word/activeX/a.xml": "<x/>"},
        extra_overrides={"word/activeX/a.xml": "application/vnd.ms-office.activeX+xml"},
    ),
    "VBA data part, upper case": office_package(
        "word",
        extra_parts={"word/x.xml": "<x/>"},
        extra_overrides={"word/x.xml": "APPLICATION/VND.MS-WORD.VBADATA+XML"},
    ),
    "no main document declared": office_package(
        "word", content_types=content_types_xml({"word/other.xml": "application/xml"})
    ),
    "content types that are not XML": office_package("word", content_types="<Types"),
    "an entity expansion bomb": office_package(
        "word",
        content_types=(
            '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "]><Types>&i;</Types>"
        ),
    ),
}


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_a_package_that_declares_active_content_is_refused(tmp_path, data):
    with pytest.raises(EvidenceRejected) as excinfo:
        sniff(tmp_path, data)

    assert excinfo.value.message == WRONG_TYPE


def test_a_renamed_macro_part_is_refused_when_uploaded_and_nothing_is_stored(
    app, db, organisation, member
):
    """Through the storage service, on the database: no row and no file are left."""
    import io

    from sqlalchemy import func, select
    from werkzeug.datastructures import FileStorage

    from charter.models import EvidenceFile
    from charter.services.infrastructure.evidence import store_evidence

    upload = FileStorage(
        io.BytesIO(REFUSED["macro-enabled main document (.docm renamed .docx)"]),
        filename="report.docx",
    )
    with pytest.raises(EvidenceRejected):
        store_evidence(upload, organisation=organisation, line=None, user=member)

    assert db.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
