"""Limits on what a zip archive may unpack to, checked before anything in it is trusted.

Word, Excel and PowerPoint files (.docx, .xlsx, .pptx) and OpenDocument files (.odt, .ods) are
zip archives. A small upload can unpack to gigabytes (a "zip bomb") and fill the memory or disk
of the assessor who opens it. So before an archive is accepted as evidence:

- its central directory (read by zipfile, nothing extracted) must list at most
  ``max_entries`` entries, whose declared sizes add up to at most ``max_uncompressed_bytes``,
  at most ``max_ratio`` times the size of the file itself; then
- every entry is decompressed as a stream, straight from its local header, with a cap: an
  entry that unpacks to more than its header says, or whose stream does not end where it
  says, is a lying header and the file is refused. The standard library's zipfile stops
  reading at the declared size, so it would not notice; Office would unpack the lot.

A real document is rarely compressed more than 20 to 1 (XML repeats itself, images do not), so
100 to 1 leaves a wide margin; 50MB unpacked is five times the largest upload we take.
Kept apart from the type checks (evidence_sniffing.py), which run only on an archive that has
passed these.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from charter.formatting import format_file_size

_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED = 0x1


@dataclass(frozen=True)
class ArchiveLimits:
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 100
    max_entries: int = 10_000

    @classmethod
    def from_config(cls, config) -> ArchiveLimits:
        return cls(
            max_uncompressed_bytes=config.get(
                "EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES", cls.max_uncompressed_bytes
            ),
            max_ratio=config.get("EVIDENCE_ZIP_MAX_RATIO", cls.max_ratio),
            max_entries=config.get("EVIDENCE_ZIP_MAX_ENTRIES", cls.max_entries),
        )


class ArchiveRefused(ValueError):
    """The archive breaks a limit; the message is the upload field's error."""


AGAIN = "Save it again from the program that made it and upload the new copy"
DAMAGED = f"The selected file is damaged or has been altered. {AGAIN}"


def too_many_entries(limits: ArchiveLimits) -> str:
    return f"The selected file must contain no more than {limits.max_entries:,} parts. {AGAIN}"


def too_large_unpacked(limits: ArchiveLimits) -> str:
    size = format_file_size(limits.max_uncompressed_bytes)
    return f"The selected file must be smaller than {size} when opened"


def too_compressed(limits: ArchiveLimits) -> str:
    return (
        f"The selected file is compressed more than {limits.max_ratio} to 1, which documents "
        f"never are. {AGAIN}"
    )


def check_archive(path: Path, archive: zipfile.ZipFile, limits: ArchiveLimits) -> None:
    """Raise ArchiveRefused if the archive at ``path`` (opened as ``archive``) breaks a limit."""
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise ArchiveRefused(too_many_entries(limits))
    declared = sum(info.file_size for info in entries)
    if declared > limits.max_uncompressed_bytes:
        raise ArchiveRefused(too_large_unpacked(limits))
    # Against the file's own size, not the entries' compressed sizes: entries that overlap
    # (one compressed stream listed many times) would otherwise look modest.
    if declared > limits.max_ratio * max(os.path.getsize(path), 1):
        raise ArchiveRefused(too_compressed(limits))
    with open(path, "rb") as f:
        for info in entries:
            _verify_entry(f, info)


def _verify_entry(f, info: zipfile.ZipInfo) -> None:
    """Decompress one entry from its local header, never producing more than it declares."""
    if info.flag_bits & _ENCRYPTED or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        raise ArchiveRefused(DAMAGED)
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise ArchiveRefused(DAMAGED)
    fields = _LOCAL_HEADER.unpack(header)
    f.seek(fields[-2] + fields[-1], os.SEEK_CUR)  # the name and the extra field
    decompressor = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced, crc, left = 0, 0, info.compress_size
    while left > 0:
        chunk = f.read(min(_CHUNK, left))
        if not chunk:
            raise ArchiveRefused(DAMAGED)
        left -= len(chunk)
        while chunk:
            if decompressor is None:
                out, chunk = chunk, b""
            else:
                # At most one byte more than declared: enough to know the header lied.
                out = decompressor.decompress(chunk, info.file_size - produced + 1)
                chunk = decompressor.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise ArchiveRefused(DAMAGED)
            crc = zlib.crc32(out, crc)
            if decompressor is not None and decompressor.eof:
                break
    complete = decompressor is None or decompressor.eof
    if not complete or produced != info.file_size or crc != info.CRC:
        raise ArchiveRefused(DAMAGED)
