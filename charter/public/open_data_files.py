"""Open data that always arrives whole: each charter's full exports built as files (issue 23).

Streamed from a sync worker, the 100,000-organisation register.json (124.6 MiB) took about 13 s
at full speed; a client reading at 1 MB/s got a 200 and a body cut at 68 MiB when the worker's
timeout killed the stream, with nothing to tell it the file was short. So the four full exports
(register CSV and JSON, impact CSV and JSON, with no search or filter) are files:

- **built** by the scheduler after each change (``build_stale``, every minute: a file is stale
  when the version its content follows has moved), or on demand by the first request that
  finds none, once, under a file lock that the other workers wait on;
- **whole or not at all on disk**: written to a temporary file in the same folder, with a
  ``.gz`` twin and the answer's headers beside it, and renamed into place (atomic), the data
  file last; older versions are then removed (a reader holding one open keeps reading it);
- **served** with ``Content-Length``, a strong ETag, ``Last-Modified``, range requests (206)
  and conditional requests (304) by ``send_file``, and the ``.gz`` twin with
  ``Content-Encoding: gzip`` to a client that accepts it. A client cut off mid-file sees fewer
  bytes than ``Content-Length`` (a transport error), never a short 200, and can resume with a
  range.

A file's name carries what its content depends on: the version of what it follows (the
register's for the CSV, the *pages* version for the JSON, which carries published figures, the
charter's /impact version for impact), the day (standing changes at midnight) and the release.
Finding it costs no query while the process holds the versions, so a 304 touches no database.
Searched or filtered exports are still streamed (``views/open_data.py``).
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app, g, make_response, request, send_file

from charter.branding import CharterFacts, held_charters
from charter.caching import PUBLIC_MAX_AGE, release
from charter.services.read_models import register_version
from charter.services.read_models.impact import version as impact_version

# Headers of the built answer kept beside the file, and served with it.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Link")
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Export:
    name: str  # the address's last part: /c/<slug>/<name>
    render: Callable[[], object]  # the streamed answer, in a request context for the address
    follows: str  # the version its content follows: register, pages or impact


# register.csv, register.json, impact.csv and impact.json, as the views declare them.
EXPORTS: dict[str, Export] = {}


def built_as(name: str, follows: str):
    """Declares a view function (undecorated: no answer cache) as the way to render the file
    ``name``, whose content follows the ``follows`` version."""

    def declare(render):
        EXPORTS[name] = Export(name, render, follows)
        return render

    return declare


def folder() -> Path:
    return Path(current_app.config["OPEN_DATA_DIR"])


def _version(export: Export, charter: CharterFacts) -> tuple[int, datetime | None]:
    if export.follows == "impact":
        return impact_version.current(charter.id)
    state = register_version.current()
    if export.follows == "pages":
        return state.pages_version, state.pages_changed_at
    return state.version, state.changed_at


def _path(export: Export, charter: CharterFacts, version: tuple[int, datetime | None]) -> Path:
    """When the version last moved is in the name too: a database rebuilt from empty counts its
    versions from 1 again, and must not be answered with an older database's file."""
    stem, suffix = export.name.rsplit(".", 1)
    number, changed_at = version
    key = f"{number}|{changed_at}|{date.today().isoformat()}|{release(current_app)}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return folder() / charter.slug / f"{stem}-{number}-{digest}.{suffix}"


def served(name: str):
    """The answer to GET /c/<slug>/<name> with no query: the built file, built now if need be.
    A file removed under us (a newer one was built meanwhile) is looked for again, once."""
    export, charter = EXPORTS[name], g.charter
    for attempt in (1, 2):
        version = _version(export, charter)
        path = _path(export, charter, version)
        if path.exists() and request.if_none_match:
            # The client's copy is this file's: 304 from its name alone.
            sent, _zipped = _variant(path)
            if request.if_none_match.contains_weak(_etag(sent)):
                return _not_modified(_etag(sent))
        path = build(export, charter, version)
        try:
            return _send(path)
        except FileNotFoundError:
            if attempt == 2:
                raise
            impact_version.forget_held()
            register_version.forget_held()
    raise AssertionError("unreachable")


def _variant(path: Path) -> tuple[Path, bool]:
    """The file to send, and whether it is the ``.gz`` twin (written before the data file, so
    there whenever it is): for a client that accepts gzip ("gzip;q=0" refuses it)."""
    zipped = request.accept_encodings["gzip"] > 0
    return (path.with_name(path.name + ".gz") if zipped else path), zipped


def _etag(sent: Path) -> str:
    """Strong: a file's name names its bytes (the version, the day, the release, gzip or not)."""
    return hashlib.sha256(sent.name.encode()).hexdigest()[:32]


def _not_modified(tag: str):
    response = current_app.response_class(status=304)
    response.set_etag(tag)
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


# Built files' headers kept per process (they never change under one name).
_HEADERS_HELD = 64


def _headers(path: Path) -> dict:
    held = current_app.extensions.setdefault("open_data_headers", {})
    found = held.get(path)
    if found is None:
        found = json.loads(path.with_name(path.name + ".headers").read_text())
        if len(held) >= _HEADERS_HELD:
            held.clear()
        held[path] = found
    return found


def _send(path: Path):
    headers = _headers(path)
    sent, zipped = _variant(path)
    stat = sent.stat()
    response = send_file(
        sent,
        mimetype=headers["Content-Type"],
        conditional=True,
        etag=_etag(sent),
        last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        max_age=PUBLIC_MAX_AGE,
    )
    response.headers["Content-Type"] = headers["Content-Type"]
    # send_file names the file on disk ("inline; filename=register-8-….json.gz"): the answer
    # keeps the streamed answer's own, or none.
    response.headers.pop("Content-Disposition", None)
    for name in ("Content-Disposition", "Link"):
        if headers.get(name):
            response.headers[name] = headers[name]
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def build(export: Export, charter: CharterFacts, version: tuple[int, datetime | None]) -> Path:
    """Build ``export`` for ``charter`` at ``version`` unless it is there already: one builder at
    a time per file (an exclusive lock on a file beside it, which workers in other processes
    wait on), the others then finding it built."""
    path = _path(export, charter, version)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{export.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                _remove_unfinished(export, path)
                _write(export, charter, path)
                _remove_older(export, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


def _write(export: Export, charter: CharterFacts, path: Path) -> None:
    """Render the export as its streamed answer would be and write it, its ``.gz`` twin and its
    headers, each to a temporary file renamed into place; the data file last."""
    app = current_app._get_current_object()
    service_url = app.config.get("SERVICE_URL") or "http://localhost"
    with app.test_request_context(f"/c/{charter.slug}/{export.name}", base_url=service_url):
        g.charter = charter
        response = make_response(export.render())
        if response.status_code != 200:
            raise RuntimeError(f"{export.name} for {charter.slug}: {response.status}")
        headers = {name: response.headers.get(name) for name in KEPT_HEADERS}
        data = _temporary(path)
        zipped = _temporary(path)
        try:
            with (
                open(data, "wb") as plain,
                open(zipped, "wb") as raw,
                gzip.GzipFile(path.name, "wb", GZIP_LEVEL, raw, mtime=0) as packed,
            ):
                for chunk in response.iter_encoded():
                    plain.write(chunk)
                    packed.write(chunk)
                plain.flush()
                os.fsync(plain.fileno())
            response.close()
            _replace_with_text(path.with_name(path.name + ".headers"), json.dumps(headers))
            os.replace(zipped, path.with_name(path.name + ".gz"))
            os.replace(data, path)
        finally:
            for leftover in (data, zipped):
                leftover.unlink(missing_ok=True)


def _temporary(path: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    return Path(name)


def _replace_with_text(path: Path, text: str) -> None:
    temporary = _temporary(path)
    temporary.write_text(text)
    os.replace(temporary, path)


def _remove_unfinished(export: Export, path: Path) -> None:
    """Temporary files a builder left when its process died mid-build (a worker killed by its
    timeout): only the holder of the lock writes them, and it holds it now."""
    stem = export.name.rsplit(".", 1)[0]
    for leftover in path.parent.glob(f".{stem}-*"):
        leftover.unlink(missing_ok=True)


def _remove_older(export: Export, kept: Path) -> None:
    stem, suffix = export.name.rsplit(".", 1)
    for other in kept.parent.glob(f"{stem}-*.{suffix}*"):
        if not other.name.startswith(kept.name):
            other.unlink(missing_ok=True)


def build_stale() -> int:
    """Build every charter's exports whose version has moved since they were built (the
    scheduler's job, every minute). Returns how many were built."""
    built = 0
    for charter in held_charters():
        for export in EXPORTS.values():
            version = _version(export, charter)
            if not _path(export, charter, version).exists():
                build(export, charter, version)
                built += 1
    return built
