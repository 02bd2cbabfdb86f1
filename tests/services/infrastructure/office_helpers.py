"""Small Office Open XML packages for the evidence tests, with real [Content_Types].xml."""

from __future__ import annotations

import io
import zipfile

NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_TYPES = {
    "word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
MAIN_PARTS = {"word": "document.xml", "xl": "workbook.xml", "ppt": "presentation.xml"}
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def content_types_xml(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> str:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml"} | (
        defaults or {}
    )
    lines = [f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults.items()]
    lines += [
        f'<Override PartName="/{part}" ContentType="{ct}"/>' for part, ct in overrides.items()
    ]
    return f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}">{"".join(lines)}</Types>'


def office_package(
    folder: str,
    *,
    main_type: str | None = None,
    extra_parts: dict[str, bytes | str] | None = None,
    extra_overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    content_types: str | None = None,
) -> bytes:
    main_part = f"{folder}/{MAIN_PARTS[folder]}"
    overrides = {main_part: main_type or MAIN_TYPES[folder]} | (extra_overrides or {})
    entries = {
        "[Content_Types].xml": content_types or content_types_xml(overrides, defaults),
        main_part: "<x/>",
    } | (extra_parts or {})
    return zip_bytes(entries)


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()
