"""Importing published notices (issue 22): OCDS release packages from Find a Tender or Contracts
Finder become stored releases, one compiled record per ``ocid``, and awarded suppliers matched
to organisations and commissioners (award_matching.py).

One file is one transaction: a file that is not JSON, not a release package, too large, holds
a release that breaks the OCDS 1.1 release schema, a number that cannot be kept exactly, or a
release whose id was already imported with other content, is refused with a sentence naming
the file and what is wrong, and nothing of it is kept (the caller rolls back). Releases are
stored by ocid and release id and never replaced: importing a file again stores nothing and
compiles nothing. Only the ocids that gained a release are compiled again, from every release
stored for them, so the latest compiled record wins whatever order files come in.

Memory stays flat: releases are read one at a time (infrastructure/ocds/reader.py), stored in
batches, and the session is emptied between batches of records.

Functions add to the session and never commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import func, insert, select, update

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.published_notice import NoticeEvent, NoticeImport, NoticeRecord, NoticeRelease
from charter.services.domain import award_facts, award_matching
from charter.services.domain.refusals import Refused
from charter.services.infrastructure.ocds import download, reader, schema
from charter.web_addresses import is_web_address

BATCH = 500
_ID_LENGTH = 200
_DATE_LENGTH = 40  # "2026-12-06T09:00:00.123456+01:00" is 32
_URI_LENGTH = 1000


# The audit row of a file or URL whose import was refused (notice_events; no import row).
REFUSED_ACTION = "import_refused"


class NoticesRefused(Refused):
    """A file that cannot be imported; the message names the file and says why."""


@dataclass
class ImportSummary:
    source: str
    releases: int = 0
    new_releases: int = 0
    records: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    # A page of an API: the releases kept by the caller's filter, and the next page's link.
    kept: int | None = None
    next_link: str | None = None

    def line(self) -> str:
        kept = {k: v for k, v in sorted(self.outcomes.items()) if k != "ignored"}
        awards = ", ".join(f"{v} {k}" for k, v in kept.items()) or "none"
        return (
            f"{self.source}: {self.releases} releases, {self.new_releases} new; "
            f"{self.records} records compiled; awards: {awards}"
        )


def read_limits() -> reader.ReadLimits:
    default = reader.ReadLimits()
    config = current_app.config
    return reader.ReadLimits(
        max_bytes=config.get("NOTICES_MAX_FILE_BYTES", default.max_bytes),
        max_releases=config.get("NOTICES_MAX_RELEASES", default.max_releases),
        max_release_events=config.get("NOTICES_MAX_RELEASE_VALUES", default.max_release_events),
    )


class _Digesting:
    """A binary file that keeps the SHA-256 of what was read from it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


Keep = Callable[[dict[str, Any]], bool]


def import_file(
    path: str, *, actor_label: str, source: str | None = None, keep: Keep | None = None
) -> ImportSummary:
    """Import one release package from ``path``, or NoticesRefused (then roll back).
    ``source`` names it in messages and the audit, where it is not ``path`` (a URL).
    ``keep``: a page of an API (notices_poll.py): only the releases it keeps are checked and
    imported, an empty page is no mistake, and a page that kept none leaves no import row."""
    limits = read_limits()
    source = source or path
    try:
        reader.check_size(path, limits)
        with open(path, "rb") as stream:
            return _import(source, _Digesting(stream), limits, actor_label, keep)
    except OSError as error:
        raise NoticesRefused(f"{source}: cannot be read ({error.strerror or error})") from error
    except (reader.UnreadablePackage, schema.CompileFailed) as error:
        raise NoticesRefused(f"{source}: {error}; nothing was imported") from error


def import_url(url: str, *, actor_label: str, keep: Keep | None = None) -> ImportSummary:
    """Fetch the release package at ``url`` whole (infrastructure/ocds/download.py), then
    import it as a file; NoticesRefused naming the URL when it cannot be fetched."""
    config = current_app.config
    default = download.DownloadLimits(max_bytes=read_limits().max_bytes)
    limits = download.DownloadLimits(
        max_bytes=default.max_bytes,
        timeout=config.get("NOTICES_URL_TIMEOUT_SECONDS", default.timeout),
        deadline=config.get("NOTICES_URL_DEADLINE_SECONDS", default.deadline),
    )
    try:
        with download.downloaded(url, limits) as path:
            return import_file(path, actor_label=actor_label, source=url, keep=keep)
    except download.DownloadRefused as error:
        raise NoticesRefused(f"{url}: {error}; nothing was imported") from error


def _import(path, stream: _Digesting, limits, actor_label: str, keep: Keep | None) -> ImportSummary:
    summary = ImportSummary(source=path)
    notice_import = NoticeImport(
        source=path, sha256="", release_count=0, new_release_count=0, actor_label=actor_label
    )
    db.session.add(notice_import)
    db.session.flush()
    import_id = notice_import.id
    metadata = reader.PackageMetadata()
    batch: list[dict[str, Any]] = []
    releases = reader.read_releases(
        stream, limits, metadata, allow_empty=keep is not None, keep=keep
    )
    for release in releases:
        summary.kept = (summary.kept or 0) + 1
        _check(release, metadata.release_count)
        batch.append(release)
        if len(batch) >= BATCH:
            summary.new_releases += _store(batch, import_id)
            batch = []
    summary.new_releases += _store(batch, import_id)
    summary.releases = metadata.release_count
    if metadata.version is not None and not metadata.version.startswith("1.1"):
        raise reader.UnreadablePackage(
            f"uses OCDS version {metadata.version}; this service reads version 1.1"
        )
    summary.next_link = metadata.next_link
    if keep is not None and not summary.kept:
        db.session.delete(db.session.get(NoticeImport, import_id))  # nothing of it was ours
        return summary
    if _linkable(metadata.uri) and summary.new_releases:
        db.session.execute(
            update(NoticeRelease)
            .where(NoticeRelease.import_id == import_id)
            .values(package_uri=metadata.uri)
        )
    summary.records = _compile_imported(import_id, actor_label, summary.outcomes)
    notice_import = db.session.get(NoticeImport, import_id)
    notice_import.sha256 = stream.digest.hexdigest()
    notice_import.release_count = summary.releases
    notice_import.new_release_count = summary.new_releases
    db.session.add(
        NoticeEvent(
            action="imported", import_id=import_id, actor_label=actor_label, detail=summary.line()
        )
    )
    return summary


def record_refused(refused: NoticesRefused, *, actor_label: str) -> None:
    """Audit a refused file or URL (after its transaction was rolled back: nothing of it is
    kept), so the administrators' page lists it with the reason. Commits."""
    db.session.add(NoticeEvent(action=REFUSED_ACTION, actor_label=actor_label, detail=str(refused)))
    db.session.commit()


def _linkable(uri: str | None) -> bool:
    """Whether the package's uri may be the notice's link on the pages: a web address only (a
    ``javascript:`` or ``data:`` one from a file would run in the reader's browser)."""
    if not uri or len(uri) > _URI_LENGTH:
        return False
    if "\x00" in uri:
        return False
    return is_web_address(uri)


def _check(release: dict[str, Any], number: int) -> None:
    problems = schema.problems(release)
    if problems:
        raise reader.UnreadablePackage(
            f"release {number}{_named(release)} does not follow the OCDS 1.1 release schema "
            "with the UK extension: " + "; ".join(problems)
        )
    for key, longest in (("ocid", _ID_LENGTH), ("id", _ID_LENGTH), ("date", _DATE_LENGTH)):
        if len(release[key]) > longest:
            raise reader.UnreadablePackage(
                f"release {number}'s {key} is longer than {longest} characters"
            )


def _named(release: dict[str, Any]) -> str:
    """The release's ocid and id for a message, when they are text (a release the schema refuses
    may have neither)."""
    names = [
        f"{key} {value}"
        for key in ("ocid", "id")
        if isinstance(value := release.get(key), str) and 0 < len(value) <= _ID_LENGTH
    ]
    return f" ({', '.join(names)})" if names else ""


def _digest(release: dict[str, Any]) -> str:
    canonical = json.dumps(release, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _store(batch: list[dict[str, Any]], import_id: int) -> int:
    """Insert the releases not already stored; refuse one stored with other content."""
    if not batch:
        return 0
    stored = {
        (ocid, release_id): digest
        for ocid, release_id, digest in db.session.execute(
            select(NoticeRelease.ocid, NoticeRelease.release_id, NoticeRelease.sha256).where(
                NoticeRelease.release_id.in_({r["id"] for r in batch}),
                NoticeRelease.ocid.in_({r["ocid"] for r in batch}),
            )
        )
    }
    rows = []
    for release in batch:
        key, digest = (release["ocid"], release["id"]), _digest(release)
        if key in stored:
            if stored[key] != digest:
                raise reader.UnreadablePackage(
                    f"release {release['id']} of {release['ocid']} was imported before with "
                    "other content; a release is corrected by a later release, never replaced"
                )
            continue
        stored[key] = digest
        rows.append(
            {
                "ocid": release["ocid"],
                "release_id": release["id"],
                "release_date": release["date"],
                "sha256": digest,
                "data": json.dumps(release, ensure_ascii=False),
                "import_id": import_id,
            }
        )
    if rows:
        db.session.execute(insert(NoticeRelease), rows)
    return len(rows)


def _compile_imported(import_id: int, actor_label: str, outcomes: dict[str, int]) -> int:
    """Compile each ocid the import added a release to, a batch of ocids at a time (never the
    whole list in memory), emptying the session between batches. Per batch, a few queries
    whatever its size: the batch's releases, records and awarded suppliers are read at once,
    and its records written at once."""
    directory = award_matching.Directory()
    compiled_count, last = 0, ""
    while True:
        ocids = list(
            db.session.scalars(
                select(NoticeRelease.ocid)
                .where(NoticeRelease.import_id == import_id, NoticeRelease.ocid > last)
                .distinct()
                .order_by(NoticeRelease.ocid)
                .limit(BATCH)
            )
        )
        if not ocids:
            return compiled_count
        existing = award_matching.existing_rows(ocids)
        for compiled, notice_url in _compile_batch(ocids):
            for facts in award_facts.awards_in(compiled):
                outcome = award_matching.apply(
                    facts,
                    notice_url,
                    directory,
                    import_id=import_id,
                    actor_label=actor_label,
                    existing=existing,
                )
                outcomes[outcome or "ignored"] = outcomes.get(outcome or "ignored", 0) + 1
        compiled_count += len(ocids)
        last = ocids[-1]
        db.session.flush()
        if len(ocids) == BATCH:  # a large import: let go of the rows compiled so far
            db.session.expunge_all()


def _compile_batch(ocids: list[str]) -> list[tuple[dict[str, Any], str | None]]:
    """Each ocid's record compiled again from every release stored for it, written (inserted
    or updated) in two statements; returns (compiled release, notice url) in order."""
    stored: dict[str, list[tuple[str, str | None]]] = {ocid: [] for ocid in ocids}
    for ocid, data, uri in db.session.execute(
        select(NoticeRelease.ocid, NoticeRelease.data, NoticeRelease.package_uri)
        .where(NoticeRelease.ocid.in_(ocids))
        .order_by(NoticeRelease.ocid, NoticeRelease.release_date, NoticeRelease.id)
    ):
        stored[ocid].append((data, uri))
    record_ids = dict(
        db.session.execute(
            select(NoticeRecord.ocid, NoticeRecord.id).where(NoticeRecord.ocid.in_(ocids))
        ).all()
    )
    now = utcnow()
    compiled_batch, inserts, updates = [], [], []
    for ocid in ocids:
        rows = stored[ocid]
        compiled = schema.compile_releases([json.loads(data) for data, _uri in rows])
        notice_url = next((uri for _data, uri in reversed(rows) if uri), None)
        values = {
            "compiled": json.dumps(compiled, ensure_ascii=False),
            "release_count": len(rows),
            "notice_url": notice_url,
            "updated_at": now,
        }
        if ocid in record_ids:
            updates.append({"id": record_ids[ocid], **values})
        else:
            inserts.append({"ocid": ocid, **values})
        compiled_batch.append((compiled, notice_url))
    if inserts:
        db.session.execute(insert(NoticeRecord), inserts)
    if updates:
        db.session.execute(update(NoticeRecord), updates)
    return compiled_batch


def rematch(
    *, actor_label: str, mentioning: str | None = None, release_memory: bool = False
) -> dict[str, int]:
    """Match the stored records' awards again (only those whose text mentions ``mentioning``,
    case aside, when given): after an administrator adds a commissioner's buyer identifier, or
    an organisation its identifier. Accepted and declined ones stay as they are.
    ``release_memory`` empties the session between batches (the command over every record;
    never in a request, whose user and objects it would detach)."""
    outcomes: dict[str, int] = {}
    directory = award_matching.Directory()
    last_id = 0
    while True:
        query = (
            select(NoticeRecord.id, NoticeRecord.compiled, NoticeRecord.notice_url)
            .where(NoticeRecord.id > last_id)
            .order_by(NoticeRecord.id)
            .limit(BATCH)
        )
        if mentioning:
            query = query.where(func.upper(NoticeRecord.compiled).contains(mentioning.upper()))
        records = db.session.execute(query).all()
        if not records:
            return outcomes
        for record_id, compiled, notice_url in records:
            last_id = record_id
            for facts in award_facts.awards_in(json.loads(compiled)):
                outcome = award_matching.apply(
                    facts, notice_url, directory, import_id=None, actor_label=actor_label
                )
                outcomes[outcome or "ignored"] = outcomes.get(outcome or "ignored", 0) + 1
        db.session.flush()
        if release_memory:
            db.session.expunge_all()
