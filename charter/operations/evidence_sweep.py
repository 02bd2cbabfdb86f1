"""The sweep of orphaned evidence: objects in the store that no row refers to, removed once they
are old enough that no upload can still be on its way to its row.

An upload is stored first and its row committed after (evidence.py), so that a row never names a
missing file. If the process dies between the two (a host killed, a worker timed out) or the
store is down when an abandoned upload is cleaned up, or when a committed deletion removes its
file, the object stays with no row: invisible and harmless, but it takes space and, being
someone's document, should not be kept for ever. `flask charter sweep-evidence` and the
scheduler's daily job remove them.

What keeps it safe:
- **Only objects older than the safety age** (``EVIDENCE_SWEEP_MIN_AGE_HOURS``, default 24, at
  least 1) by the store's own clock (S3's LastModified, the file's mtime). An upload in flight
  has an object a few seconds old whose row is not committed yet; it is left alone.
- **The rows are asked after the listing**, batch by batch just before that batch's deletions,
  and from the primary (a command or the scheduler never reads from the replica), so a row
  committed while the sweep ran is seen and its object kept.
- **Not against a database with no evidence at all**: pointed by mistake at an empty database
  (a new one, a restore not yet loaded), every object would look orphaned. With no row in
  ``evidence_files`` the sweep removes nothing and says why, unless told ``even_with_no_rows``.
- **Only names the service makes** (32 hex digits under the prefix) are considered: anything
  else in the bucket, the /readyz probes included, is not the sweep's business.

It reports what it did: objects looked at, kept because a row refers to them, kept because they
are too new, removed (or, with ``dry_run``, that would be), and on the local store the staging
files a killed upload left, removed on the same age rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice

from sqlalchemy import select

from charter.extensions import db
from charter.models import EvidenceFile
from charter.services.infrastructure.storage import (
    EvidenceStorage,
    LocalStorage,
    StorageUnavailable,
)

DEFAULT_MIN_AGE_HOURS = 24
BATCH = 500


class SweepRefused(ValueError):
    """The sweep was asked for something unsafe (an age under an hour)."""


@dataclass
class SweepReport:
    examined: int = 0
    referenced: int = 0
    too_new: int = 0
    removed: list[str] = field(default_factory=list)
    staging_removed: int = 0
    dry_run: bool = False
    failed: str | None = None  # the store failed part way: what it said

    def summary(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        text = (
            f"{verb} {len(self.removed)} orphaned evidence objects; looked at {self.examined}: "
            f"{self.referenced} referenced by a row, {self.too_new} newer than the safety age"
        )
        if self.staging_removed:
            text += f"; {verb.lower()} {self.staging_removed} leftover staging files"
        text += "."
        if self.failed:
            text += f" Stopped: {self.failed}"
        return text


def min_age(hours: float | None) -> timedelta:
    """The safety age, refused under an hour: an upload's object and its row are written
    seconds apart, and a long request is cut at the worker's timeout (60 s)."""
    if hours is None:
        hours = DEFAULT_MIN_AGE_HOURS
    if hours < 1:
        raise SweepRefused(
            f"The safety age must be at least 1 hour, not {hours:g}: a newer object may be an "
            "upload whose row is not committed yet."
        )
    return timedelta(hours=hours)


def sweep_orphaned_evidence(
    storage: EvidenceStorage,
    *,
    older_than: timedelta,
    now: datetime | None = None,
    dry_run: bool = False,
    even_with_no_rows: bool = False,
) -> SweepReport:
    """Remove the store's objects that no EvidenceFile row names and that are older than
    ``older_than`` (at ``now``, UTC). If the store fails part way the sweep stops there and
    the report says so (``failed``); what was removed before stays removed (each an orphan)."""
    if older_than < timedelta(hours=1):
        raise SweepRefused("The safety age must be at least 1 hour.")
    now = now or datetime.now(UTC)
    cutoff = now - older_than
    report = SweepReport(dry_run=dry_run)
    if not even_with_no_rows and db.session.scalar(select(EvidenceFile.id).limit(1)) is None:
        db.session.rollback()
        report.failed = (
            "the database has no evidence rows at all, so every object would look orphaned: "
            "check DATABASE_URL (the sweep removes nothing unless told it may)"
        )
        return report
    try:
        for batch in _batches(_old_enough(storage.listing(), cutoff, report), BATCH):
            referenced = _referenced(batch)
            report.referenced += len(referenced)
            for name in batch:
                if name in referenced:
                    continue
                if not dry_run:
                    _delete(storage, name)
                report.removed.append(name)
    except StorageUnavailable as error:
        report.failed = f"the store failed part way: {error}"
        return report
    if isinstance(storage, LocalStorage):
        for path, modified in storage.leftover_staging_files():
            if modified < cutoff:
                if not dry_run:
                    path.unlink(missing_ok=True)
                report.staging_removed += 1
    return report


def _old_enough(
    listing: Iterable[tuple[str, datetime]], cutoff: datetime, report: SweepReport
) -> Iterator[str]:
    for name, modified in listing:
        report.examined += 1
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=UTC)
        if modified < cutoff:
            yield name
        else:
            report.too_new += 1


def _batches(names: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(islice(names, size)):
        yield batch


def _referenced(names: list[str]) -> set[str]:
    # Asked now, after the listing: a row committed since the object was listed is seen.
    found = set(
        db.session.scalars(
            select(EvidenceFile.stored_name).where(EvidenceFile.stored_name.in_(names))
        )
    )
    db.session.rollback()  # no snapshot held across batches
    return found


def _delete(storage: EvidenceStorage, name: str) -> None:
    try:
        storage.delete(name)
    except (StorageUnavailable, OSError):
        raise
    except Exception as error:  # boto's errors: the store went away mid-sweep
        raise StorageUnavailable(f"{storage.description}: {error}") from error
