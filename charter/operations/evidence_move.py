"""Moving evidence files from the local directory to the bucket, for a service that starts
on one host and later moves to several (`flask charter move-evidence-to-s3`).

Each file is checked against its row's SHA-256 before it goes, and the object's size after it
went. It is safe to run again: objects already in the bucket with the right size are skipped,
so a run stopped half-way is finished by the next. Local files are removed only with
--delete-local, after every file has been copied, so the directory stays a backup until you
have switched EVIDENCE_STORAGE to s3 and are content.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field

from sqlalchemy import select

from charter.extensions import db
from charter.models import EvidenceFile
from charter.services.infrastructure.storage import LocalStorage, S3Storage


@dataclass
class MoveReport:
    copied: int = 0
    already_there: int = 0
    missing: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    deleted_local: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing and not self.damaged


def move_evidence(source: LocalStorage, target: S3Storage, *, delete_local: bool) -> MoveReport:
    report = MoveReport()
    rows = db.session.execute(
        select(
            EvidenceFile.stored_name,
            EvidenceFile.sha256,
            EvidenceFile.size,
            EvidenceFile.content_type,
        ).order_by(EvidenceFile.id)
    ).all()
    moved: list[str] = []
    for stored_name, sha256, size, content_type in rows:
        if target.size(stored_name) == size:
            report.already_there += 1
            moved.append(stored_name)
            continue
        path = source.path_for(stored_name)
        if not path.is_file():
            report.missing.append(stored_name)
            continue
        if _sha256(path) != sha256:
            report.damaged.append(stored_name)
            continue
        # commit() consumes its staged file, so give it a copy and keep the original.
        staged = target.staging_path(stored_name)
        shutil.copyfile(path, staged)
        target.commit(stored_name, staged, content_type)
        if target.size(stored_name) != size:
            report.damaged.append(stored_name)
            continue
        report.copied += 1
        moved.append(stored_name)
    if delete_local and report.ok:
        for stored_name in moved:
            source.delete(stored_name)
            report.deleted_local += 1
    return report


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(64 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
