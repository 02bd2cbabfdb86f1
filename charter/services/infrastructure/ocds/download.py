"""Fetching a release package over HTTP(S) into a temporary file, for the import to read as it
reads a file (docs/ocds.md, section 1). Nothing is imported until the whole package is here:
a refused or broken download leaves nothing behind.

It is read as a stream, a piece at a time, into the file, and refused as soon as it is larger
than a file may be (``NOTICES_MAX_FILE_BYTES``, counted after any gzip the server applied, and
at once when its Content-Length already says so); it must come back 200 with a JSON media type
within ``timeout`` seconds between any two pieces and ``deadline`` seconds in all (a server
that trickles a byte at a time never trips a read timeout alone). Only http and https.

``requests`` (urllib3 underneath) is used, as ocdsmerge and the Notify client already do
(docs/dependencies.md): pieces are read with urllib3's ``read1``, which returns what has
arrived rather than waiting for a full buffer, and decompresses at most the piece asked for,
so a small gzip bomb cannot inflate in memory.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from urllib3.exceptions import HTTPError, ReadTimeoutError

from charter.web_addresses import is_web_address

PIECE = 64 * 1024
USER_AGENT = "charter-mark import-notices"
JSON_TYPES = ("application/json", "text/json")


class DownloadRefused(ValueError):
    """The URL gave no release package to import; the message says why, and ``status`` is the
    HTTP status the server answered, where it answered one other than 200."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DownloadLimits:
    max_bytes: int
    timeout: float = 30.0  # seconds to connect, and between two pieces
    deadline: float = 300.0  # seconds for the whole download


def check_url(url: str) -> None:
    if not is_web_address(url):
        raise DownloadRefused("is not an http or https address")


def _json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in JSON_TYPES or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


@contextmanager
def downloaded(url: str, limits: DownloadLimits):
    """The package at ``url`` as a local file's path, removed afterwards; DownloadRefused."""
    check_url(url)
    with tempfile.TemporaryDirectory(prefix="notices-") as folder:
        path = Path(folder) / "package.json"
        _fetch(url, path, limits)
        yield str(path)


def _fetch(url: str, path: Path, limits: DownloadLimits) -> None:
    started = time.monotonic()
    try:
        response = requests.get(
            url,
            stream=True,
            timeout=(limits.timeout, limits.timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )
    except requests.Timeout as error:
        raise DownloadRefused(f"did not answer within {limits.timeout:g} seconds") from error
    except requests.RequestException as error:
        raise DownloadRefused(f"could not be fetched ({_reason(error)})") from error
    with response:
        if response.status_code != 200:
            raise DownloadRefused(
                f"answered {response.status_code} {response.reason or ''}".rstrip()
                + ", not a release package",
                status=response.status_code,
            )
        content_type = response.headers.get("Content-Type", "")
        if not _json_media_type(content_type):
            raise DownloadRefused(
                f"sent {content_type or 'no Content-Type'}, not JSON (application/json)"
            )
        declared = response.headers.get("Content-Length", "")
        # Counted as sent: with no Content-Encoding, what arrives is what is stored.
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared.isdigit() and not encoded and int(declared) > limits.max_bytes:
            raise DownloadRefused(_too_large(int(declared), limits))
        _copy(response, path, limits, started)


def _copy(response, path: Path, limits: DownloadLimits, started: float) -> None:
    size = 0
    with open(path, "wb") as out:
        while True:
            if time.monotonic() - started > limits.deadline:
                raise DownloadRefused(
                    f"took longer than {limits.deadline:g} seconds to download; "
                    f"{size:,} bytes had arrived"
                )
            try:
                piece = response.raw.read1(PIECE, decode_content=True)
            except (HTTPError, OSError) as error:
                if _is_timeout(error):
                    raise DownloadRefused(
                        f"sent nothing for {limits.timeout:g} seconds; {size:,} bytes had arrived"
                    ) from error
                raise DownloadRefused(f"broke off ({_reason(error)})") from error
            if not piece:
                return
            size += len(piece)
            if size > limits.max_bytes:
                raise DownloadRefused(
                    f"is larger than the {limits.max_bytes:,} bytes one file may be (more than "
                    f"{size:,} bytes had arrived): split it into smaller release packages"
                )
            out.write(piece)


def _too_large(size: int, limits: DownloadLimits) -> str:
    return (
        f"is {size:,} bytes, larger than the {limits.max_bytes:,} bytes one file may be: "
        "split it into smaller release packages"
    )


def _is_timeout(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ReadTimeoutError | TimeoutError | requests.Timeout):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:200] + "…"
