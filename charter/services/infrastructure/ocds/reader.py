"""Reading an OCDS release package as a stream: one release at a time, so a file of 100,000
releases takes the memory of one release, and a file that is not what it says is refused with
a sentence naming what is wrong, before anything is built from it.

ijson's pure-Python backend is used on purpose: its faster C backend (yajl2_c, ijson 3.6)
crashes the whole process (a segmentation fault, nothing to catch) on an integer of more than
4,300 digits, which anyone can put in a file. The Python backend refuses it as an error.

Numbers arrive as Decimal (``use_float=False``), never as float: a literal ``1e9999``, which
occurs in the live Find a Tender feed, would be ``inf`` as a float. Each number must be one a
JSON reader elsewhere reads back the same (it survives a round trip through a double exactly),
else the release is refused naming the number and where it is: nothing is rounded. A string
holding a NUL character, which PostgreSQL cannot store, is refused the same way.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

import ijson
from ijson.common import ObjectBuilder

_BACKEND = ijson.get_backend("python")


class UnreadablePackage(ValueError):
    """The file is not an OCDS release package this service can read; the message says why."""


@dataclass(frozen=True)
class ReadLimits:
    """What one file may hold. A larger file, more releases or a larger release is refused
    before it is read into memory."""

    max_bytes: int = 128 * 1024 * 1024
    max_releases: int = 250_000
    # JSON events (keys, values, brackets) in one release: a real Contracts Finder release has
    # about 200, a large Find a Tender one a few thousand.
    max_release_events: int = 50_000
    # Objects and lists inside one another: OCDS goes about 6 deep. Deeper is refused before
    # anything recursive (number checks, schema validation) walks it.
    max_depth: int = 32


@dataclass
class PackageMetadata:
    """The package's own fields, known only once the stream has been read (a package may put
    ``uri`` after ``releases``)."""

    uri: str | None = None
    version: str | None = None
    release_count: int = 0
    # The next page of an API that pages its packages (OCDS pagination extension: links.next).
    next_link: str | None = None


def check_size(path: str, limits: ReadLimits) -> None:
    size = os.stat(path).st_size
    if size > limits.max_bytes:
        raise UnreadablePackage(
            f"is {size:,} bytes, larger than the {limits.max_bytes:,} bytes one file may be: "
            "split it into smaller release packages"
        )


def _exact(value: Any, where: str) -> Any:
    """``value`` as plain JSON types, Decimals as int or float only where that is exact."""
    if isinstance(value, dict):
        for key in value:
            _no_nul(key, where)
        return {k: _exact(v, f"{where}/{k}") for k, v in value.items()}
    if isinstance(value, str):
        return _no_nul(value, where)
    if isinstance(value, list):
        return [_exact(v, f"{where}/{i}") for i, v in enumerate(value)]
    if isinstance(value, Decimal):
        as_float = float(value)
        if not math.isfinite(as_float) or Decimal(repr(as_float)) != value:
            raise UnreadablePackage(
                f"{where} is {value}, a number that cannot be kept exactly (too large, or "
                "with too many digits); nothing was rounded"
            )
        return as_float
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        raise UnreadablePackage(f"{where} is an integer too large to be kept exactly")
    return value


def _no_nul(text: str, where: str) -> str:
    """A NUL character cannot be stored in a PostgreSQL text column: refused, never dropped."""
    if "\x00" in text:
        raise UnreadablePackage(f"{where} holds a NUL character (\\u0000), which cannot be kept")
    return text


def read_releases(
    stream: BinaryIO,
    limits: ReadLimits,
    metadata: PackageMetadata,
    *,
    allow_empty: bool = False,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield each release of a release package, as plain JSON types, filling ``metadata``.
    ``allow_empty``: an empty ``releases`` list is a page of an API with nothing new, not a
    mistake (the ``releases`` key must still be there). ``keep``: only the releases it keeps
    (given as read, numbers as Decimals) are checked and yielded, so a release of no concern
    (another buyer's, with a ``1e9999``) does not refuse the package."""
    events = _BACKEND.parse(stream, use_float=False)
    try:
        yield from _releases(events, limits, metadata, keep)
    except ijson.JSONError as error:
        raise UnreadablePackage(f"is not valid JSON ({_short(error)})") from error
    except (ValueError, RecursionError) as error:
        if isinstance(error, UnreadablePackage):
            raise
        raise UnreadablePackage(f"is not valid JSON ({_short(error)})") from error
    if metadata.release_count == 0 and not allow_empty:
        raise UnreadablePackage("has no releases: a release package has a 'releases' list")


def _short(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 80 else text[:77] + "..."


def _releases(events, limits: ReadLimits, metadata: PackageMetadata, keep=None):
    first = next(events, None)
    if first is None:
        raise UnreadablePackage("is empty")
    if first[:2] != ("", "start_map"):
        raise UnreadablePackage("is not a release package: it is not a JSON object")
    seen_releases = False
    for prefix, event, value in events:
        if prefix == "" and event == "map_key" and value == "records":
            raise UnreadablePackage(
                "is a record package: import the release packages the records came from"
            )
        if prefix in ("uri", "version") and event == "string":
            setattr(metadata, prefix, value)
        elif prefix == "links.next" and event == "string":
            metadata.next_link = value
        elif prefix == "releases" and event == "start_array":
            seen_releases = True
        elif prefix == "releases" and event != "end_array":
            raise UnreadablePackage("is not a release package: 'releases' is not a list")
        elif prefix == "releases.item":
            if event != "start_map":
                raise UnreadablePackage(
                    f"release {metadata.release_count + 1} is not a JSON object"
                )
            metadata.release_count += 1
            if metadata.release_count > limits.max_releases:
                raise UnreadablePackage(
                    f"has more than {limits.max_releases:,} releases, the most one file may "
                    "hold: split it into smaller release packages"
                )
            release = _build(events, limits, metadata.release_count)
            if keep is None or keep(release):
                yield _exact(release, f"release {metadata.release_count}")
    if not seen_releases:
        raise UnreadablePackage("has no releases: a release package has a 'releases' list")


def _build(events, limits: ReadLimits, number: int) -> dict[str, Any]:
    """The release whose start_map was just read, from its events, up to its end_map."""
    builder = ObjectBuilder()
    builder.event("start_map", None)
    depth = 1
    for count, (_prefix, event, value) in enumerate(events, start=1):
        if count > limits.max_release_events:
            raise UnreadablePackage(
                f"release {number} is larger than one release may be "
                f"({limits.max_release_events:,} JSON values)"
            )
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > limits.max_depth:
                raise UnreadablePackage(
                    f"release {number} is nested deeper than {limits.max_depth} levels"
                )
        elif event in ("end_map", "end_array"):
            depth -= 1
        builder.event(event, value)
        if depth == 0:
            return builder.value
    raise UnreadablePackage("is not valid JSON (it ends inside a release)")
