"""`flask charter move-evidence-to-s3`: files on disk go to the bucket, checked, resumable."""

from __future__ import annotations

import os

from charter.extensions import db
from charter.services.infrastructure.storage import LocalStorage
from tests.factories import sign_in
from tests.s3_helpers import object_keys
from tests.services.infrastructure.storage_helpers import PDF_BYTES, make_line, store


def local_evidence(app, organisation, member, count: int):
    app.config["EVIDENCE_STORAGE"] = "local"
    line = make_line(organisation)
    files = [store(line, organisation, member, PDF_BYTES + os.urandom(n)) for n in range(count)]
    db.session.commit()
    app.config["EVIDENCE_STORAGE"] = "s3"
    return files


def keys(app) -> list[str]:
    return object_keys(app.config["EVIDENCE_S3_ENDPOINT_URL"], app.config["EVIDENCE_S3_BUCKET"])


def test_files_move_to_the_bucket_and_download_from_there(s3_app, organisation, member):
    files = local_evidence(s3_app, organisation, member, 3)
    runner = s3_app.test_cli_runner()

    first = runner.invoke(args=["charter", "move-evidence-to-s3"])
    again = runner.invoke(args=["charter", "move-evidence-to-s3", "--delete-local"])

    assert first.exit_code == 0, first.output
    assert "Copied 3, already in the bucket 0" in first.output
    assert again.exit_code == 0, again.output
    assert "Copied 0, already in the bucket 3, removed locally 3" in again.output
    assert keys(s3_app) == sorted(f"evidence/{f.stored_name}" for f in files)
    assert list(LocalStorage(s3_app.config["EVIDENCE_DIR"]).names()) == []

    client = s3_app.test_client()
    sign_in(client, member.email)
    response = client.get(f"/organisations/{organisation.slug}/evidence/{files[2].id}")
    assert response.status_code == 200
    assert len(response.data) == files[2].size


def test_a_damaged_file_stops_the_move_and_nothing_is_deleted(s3_app, organisation, member):
    files = local_evidence(s3_app, organisation, member, 2)
    local = LocalStorage(s3_app.config["EVIDENCE_DIR"])
    local.path_for(files[0].stored_name).write_bytes(b"changed on disk")

    result = s3_app.test_cli_runner().invoke(
        args=["charter", "move-evidence-to-s3", "--delete-local"]
    )

    assert result.exit_code == 1
    assert files[0].stored_name in result.output
    assert keys(s3_app) == [f"evidence/{files[1].stored_name}"]
    assert sorted(local.names()) == sorted(f.stored_name for f in files)


def test_the_move_needs_a_bucket(app):
    result = app.test_cli_runner().invoke(args=["charter", "move-evidence-to-s3"])
    assert result.exit_code != 0
    assert "EVIDENCE_S3_BUCKET" in result.output
