"""Deleting and discarding evidence files: a file goes only when its row's deletion is committed,
and the service never touches a name it did not make."""

from __future__ import annotations

import os

import pytest

from charter.models import EvidenceFile
from charter.services.infrastructure import evidence as evidence_service
from charter.services.infrastructure.evidence import (
    delete_evidence,
    discard_unreferenced,
    evidence_path,
)
from tests.services.infrastructure.evidence_helpers import PNG_BYTES, stored_files
from tests.services.infrastructure.storage_helpers import PDF_BYTES, row_count


def test_delete_removes_the_row_and_the_file_once_committed(app, db, store_file):
    evidence = store_file(PDF_BYTES)
    db.session.commit()
    path = evidence_path(evidence)

    delete_evidence(evidence)
    assert path.exists()  # until the deletion is committed
    db.session.commit()

    assert not path.exists()
    assert row_count() == 0


@pytest.mark.parametrize("abandon", ["rollback", "close"])
def test_a_delete_rolled_back_or_abandoned_with_the_session_keeps_the_file(
    app, db, store_file, abandon
):
    evidence = store_file(PDF_BYTES)
    db.session.commit()
    path = evidence_path(evidence)

    delete_evidence(evidence)
    getattr(db.session, abandon)()
    db.session.commit()

    assert path.exists()
    assert row_count() == 1


def test_discard_unreferenced_removes_only_files_without_rows(app, db, store_file):
    kept = store_file(PDF_BYTES, "kept.pdf")
    db.session.commit()
    rolled_back = store_file(PNG_BYTES, "rolled-back.png")
    names = [kept.stored_name, rolled_back.stored_name]
    rolled_back_path = evidence_path(rolled_back)
    db.session.rollback()

    discard_unreferenced([*names, "../../etc/passwd", "not-a-name"])

    assert not rolled_back_path.exists()
    assert stored_files(app) == [evidence_path(kept)]


def test_evidence_path_refuses_a_name_it_did_not_make(app):
    with pytest.raises(ValueError):
        evidence_path(EvidenceFile(stored_name="../../etc/passwd"))


def test_files_are_written_with_exclusive_create(app, store_file, monkeypatch):
    """The temporary file is opened O_EXCL with mode 0600, so nothing is overwritten."""
    calls = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, **kwargs):
        calls.append((str(path), flags, mode))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(evidence_service.os, "open", recording_open)
    store_file(PDF_BYTES)

    created = [c for c in calls if c[1] & os.O_CREAT]
    assert len(created) == 1
    _path, flags, mode = created[0]
    assert flags & os.O_EXCL
    assert mode == 0o600
