"""Reading a PDF as its readers would: its text and tags (pypdf), and its page rendered
(pypdfium2) with the QR codes on it decoded (zxing-cpp)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass(frozen=True)
class Tag:
    role: str  # "/H1", "/P", "/Figure"...
    alt: str | None


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text(data: bytes) -> str:
    """Every page's text, with runs of white space made single spaces."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader(data).pages)


def tags(data: bytes) -> list[Tag]:
    """The structure tree's elements, depth first."""
    root = reader(data).trailer["/Root"]
    found: list[Tag] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, DictionaryObject):
            return  # a marked-content id
        if "/S" in node:
            alt = node.get("/Alt")
            found.append(Tag(str(node["/S"]), None if alt is None else str(alt)))
        if "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    return found


def link_targets(data: bytes) -> list[str]:
    out = []
    for page in reader(data).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


def qr_codes(data: bytes, scale: float = 2) -> list[str]:
    """The text of every QR code on the first page, rendered at ``scale`` × 72 dpi."""
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    return [
        found.text
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]
