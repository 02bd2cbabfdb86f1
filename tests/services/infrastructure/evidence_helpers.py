"""Tiny real files of each kind, and the uploads and stored files the evidence tests look at."""

from __future__ import annotations

import io
from pathlib import Path

from werkzeug.datastructures import FileStorage

from tests.services.infrastructure.office_helpers import zip_bytes

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
CONTENT_TYPES_XML = '<?xml version="1.0"?><Types xmlns="urn:x"/>'


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


def stored_files(app) -> list[Path]:
    root = Path(app.config["EVIDENCE_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
