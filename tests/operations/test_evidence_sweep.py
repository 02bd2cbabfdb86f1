"""The sweep of orphaned evidence, on real storage: moto's S3 server over HTTP, and the local
directory. Objects no row refers to go once older than the safety age; an object a row refers
to, one newer than the age (an upload in flight) and anything the service did not name stay."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import EvidenceFile
from charter.operations.evidence_sweep import SweepRefused, sweep_orphaned_evidence
from charter.scheduler import build_scheduler
from charter.services.infrastructure.storage import LocalStorage, S3Storage, evidence_storage
from tests.s3_helpers import object_keys, s3_client
from tests.services.infrastructure.storage_helpers import PDF_BYTES, make_line, store

DAY = timedelta(hours=24)


def later(days: float = 2) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def stored_rows(organisation, member, count: int) -> list[EvidenceFile]:
    line = make_line(organisation)
    rows = [store(line, organisation, member, PDF_BYTES + os.urandom(8)) for _ in range(count)]
    db.session.commit()
    return rows


def orphan(storage) -> str:
    """An object put in place as an upload is, whose row was never committed."""
    name = secrets.token_hex(16)
    staged = storage.staging_path(name)
    staged.write_bytes(PDF_BYTES)
    storage.commit(name, staged, "application/pdf")
    return name


def bucket_keys(app) -> list[str]:
    return object_keys(app.config["EVIDENCE_S3_ENDPOINT_URL"], app.config["EVIDENCE_S3_BUCKET"])


def test_orphans_older_than_the_age_go_and_referenced_objects_stay(
    s3_app, organisation, member, tmp_path
):
    rows = stored_rows(organisation, member, 2)
    storage = evidence_storage()
    orphans = {orphan(storage) for _ in range(3)}
    bucket = s3_app.config["EVIDENCE_S3_BUCKET"]
    client = s3_client(s3_app.config["EVIDENCE_S3_ENDPOINT_URL"])
    client.put_object(Bucket=bucket, Key="evidence/notes.txt", Body=b"not ours")

    report = sweep_orphaned_evidence(storage, older_than=DAY, now=later())

    assert sorted(report.removed) == sorted(orphans)
    assert (report.examined, report.referenced, report.too_new) == (5, 2, 0)
    assert report.failed is None
    assert bucket_keys(s3_app) == sorted(
        [f"evidence/{row.stored_name}" for row in rows] + ["evidence/notes.txt"]
    )
    assert "Removed 3 orphaned evidence objects; looked at 5" in report.summary()


def test_objects_newer_than_the_age_stay_even_without_a_row(s3_app, organisation, member, tmp_path):
    stored_rows(organisation, member, 1)
    storage = evidence_storage()
    in_flight = orphan(storage)

    now = datetime.now(UTC)
    report = sweep_orphaned_evidence(storage, older_than=DAY, now=now + timedelta(hours=23))

    assert report.removed == []
    assert report.too_new == 2
    assert f"evidence/{in_flight}" in bucket_keys(s3_app)


def test_a_row_committed_while_the_sweep_lists_keeps_its_object(
    s3_app, organisation, member, tmp_path
):
    [row] = stored_rows(organisation, member, 1)
    storage = evidence_storage()
    late = orphan(storage)

    class CommitsWhileListing:
        """The store, with the upload's row committed after its object was listed."""

        description = storage.description
        delete = storage.delete

        def listing(self):
            for name, modified in storage.listing():
                yield name, modified
                if name == late:
                    db.session.execute(
                        EvidenceFile.__table__.insert().values(
                            {
                                **{
                                    c.key: getattr(row, c.key)
                                    for c in EvidenceFile.__table__.c
                                    if c.key != "id"
                                },
                                "stored_name": late,
                            }
                        )
                    )
                    db.session.commit()

    report = sweep_orphaned_evidence(CommitsWhileListing(), older_than=DAY, now=later())

    assert report.removed == []
    assert report.referenced == 2
    assert f"evidence/{late}" in bucket_keys(s3_app)


def test_a_database_without_any_evidence_row_sweeps_nothing(s3_app, tmp_path):
    storage = evidence_storage()
    name = orphan(storage)

    report = sweep_orphaned_evidence(storage, older_than=DAY, now=later())
    forced = sweep_orphaned_evidence(
        storage, older_than=DAY, now=later(), dry_run=True, even_with_no_rows=True
    )

    assert report.removed == [] and "no evidence rows at all" in report.failed
    assert forced.removed == [name] and forced.failed is None
    assert bucket_keys(s3_app) == [f"evidence/{name}"]  # a dry run removes nothing


def test_a_store_that_is_away_stops_the_sweep_with_a_report(app, organisation, member):
    stored_rows(organisation, member, 1)
    closed = S3Storage("evidence", endpoint_url="http://127.0.0.1:9", region="eu-west-2")

    report = sweep_orphaned_evidence(closed, older_than=DAY, now=later())

    assert report.removed == []
    assert report.failed.startswith("the store failed part way")


def test_an_age_under_an_hour_is_refused(app):
    with pytest.raises(SweepRefused):
        sweep_orphaned_evidence(evidence_storage(), older_than=timedelta(minutes=59))


def backdate(path, hours: float) -> None:
    """Make ``path`` ``hours`` old by the service's clock (the one the sweep reads; the suite
    may run on another date, CHARTER_TEST_TODAY), not by the file system's."""
    then = datetime.now(UTC).timestamp() - hours * 3600
    os.utime(path, (then, then))


def test_the_command_sweeps_the_local_directory(app, organisation, member, tmp_path):
    [row] = stored_rows(organisation, member, 1)
    storage = evidence_storage()
    assert isinstance(storage, LocalStorage)
    old, new = orphan(storage), orphan(storage)
    backdate(storage.path_for(old), 30)
    backdate(storage.path_for(new), 0)  # written just now
    backdate(storage.path_for(row.stored_name), 30)
    part = storage.staging_path(secrets.token_hex(16))
    part.write_bytes(b"half an upload")
    backdate(part, 30)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["charter", "sweep-evidence", "--dry-run", "--list"])
    assert dry.exit_code == 0, dry.output
    assert "Would remove 1 orphaned evidence objects; looked at 3: 1 referenced by a row, " in (
        dry.output
    )
    assert old in dry.output and storage.exists(old) and part.exists()

    result = runner.invoke(args=["charter", "sweep-evidence"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 orphaned evidence objects" in result.output
    assert "removed 1 leftover staging files" in result.output
    assert sorted(storage.names()) == sorted([row.stored_name, new])
    assert not part.exists()
    assert db.session.scalar(select(EvidenceFile.stored_name)) == row.stored_name


def test_the_command_refuses_an_age_under_an_hour(app):
    result = app.test_cli_runner().invoke(
        args=["charter", "sweep-evidence", "--older-than-hours", "0.5"]
    )
    assert result.exit_code == 2
    assert "The safety age must be at least 1 hour, not 0.5" in result.output


def test_the_command_on_the_bucket_leaves_a_new_orphan(s3_app, organisation, member, tmp_path):
    stored_rows(organisation, member, 1)
    name = orphan(evidence_storage())

    result = s3_app.test_cli_runner().invoke(args=["charter", "sweep-evidence"])

    assert result.exit_code == 0, result.output
    assert "safety age 24 hours: Removed 0 orphaned evidence objects; looked at 2: " in (
        result.output
    )
    assert "2 newer than the safety age" in result.output  # never asked of the database
    assert f"evidence/{name}" in bucket_keys(s3_app)


def test_the_scheduler_sweeps_daily_after_the_impact_rebuild(app):
    job = build_scheduler(app).get_job("sweep_evidence")
    assert (str(job.trigger.fields[5]), str(job.trigger.fields[6])) == ("5", "0")
    assert job.misfire_grace_time == 6 * 3600
