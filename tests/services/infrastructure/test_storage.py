"""Evidence in an S3-compatible bucket (moto's server over HTTP) and on disk: the same checks,
the same atomicity, the same access rules on download."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.models import EvidenceFile
from charter.services.infrastructure.evidence import (
    EvidenceRejected,
    delete_evidence,
    discard_unreferenced,
)
from charter.services.infrastructure.storage import (
    LocalStorage,
    S3Storage,
    evidence_storage,
    storage_from_config,
)
from tests.factories import make_organisation, make_user, sign_in
from tests.s3_helpers import object_keys, s3_client
from tests.services.infrastructure.storage_helpers import (
    EXE_BYTES,
    PDF_BYTES,
    row_count,
    store,
)


def bucket_keys(app) -> list[str]:
    return object_keys(app.config["EVIDENCE_S3_ENDPOINT_URL"], app.config["EVIDENCE_S3_BUCKET"])


def staged_files(app) -> list[str]:
    staging = app.config["EVIDENCE_STAGING_DIR"]
    return os.listdir(staging) if os.path.isdir(staging) else []


def test_an_upload_goes_to_the_bucket_encrypted_with_its_type(s3_app, organisation, line, member):
    evidence = store(line, organisation, member)
    db.session.commit()

    key = f"evidence/{evidence.stored_name}"
    assert bucket_keys(s3_app) == [key]
    head = s3_client(s3_app.config["EVIDENCE_S3_ENDPOINT_URL"]).get_object(
        Bucket=s3_app.config["EVIDENCE_S3_BUCKET"], Key=key
    )
    assert head["Body"].read() == PDF_BYTES
    assert head["ContentType"] == "application/pdf"
    assert head["ServerSideEncryption"] == "AES256"
    assert staged_files(s3_app) == []
    assert not os.path.exists(s3_app.config["EVIDENCE_DIR"])


def test_a_refused_upload_leaves_nothing_in_the_bucket(s3_app, organisation, line, member):
    with pytest.raises(EvidenceRejected):
        store(line, organisation, member, EXE_BYTES, "setup.pdf")
    s3_app.config["EVIDENCE_MAX_BYTES"] = 10
    with pytest.raises(EvidenceRejected):
        store(line, organisation, member)
    db.session.rollback()

    assert bucket_keys(s3_app) == []
    assert staged_files(s3_app) == []
    assert row_count() == 0


def test_a_rolled_back_upload_takes_its_object_with_it(s3_app, organisation, line, member):
    kept = store(line, organisation, member)
    db.session.commit()
    store(line, organisation, member, name="second.pdf")
    db.session.rollback()

    assert bucket_keys(s3_app) == [f"evidence/{kept.stored_name}"]
    assert row_count() == 1


def test_a_failed_commit_leaves_no_object(s3_app, organisation, line, member):
    evidence = store(line, organisation, member)
    evidence.sha256 = None  # NOT NULL: the database refuses the commit
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    assert bucket_keys(s3_app) == []
    assert row_count() == 0


def test_a_deletion_removes_the_object_only_when_committed(s3_app, organisation, line, member):
    evidence = store(line, organisation, member)
    db.session.commit()
    key = f"evidence/{evidence.stored_name}"

    delete_evidence(evidence)
    db.session.rollback()
    assert bucket_keys(s3_app) == [key]

    delete_evidence(db.session.get(EvidenceFile, evidence.id))
    db.session.commit()
    assert bucket_keys(s3_app) == []


def test_discard_unreferenced_removes_only_objects_without_rows(s3_app, organisation, line, member):
    kept = store(line, organisation, member)
    db.session.commit()
    orphan = "0" * 32
    storage = evidence_storage()
    staged = storage.staging_path(orphan)
    staged.write_bytes(PDF_BYTES)
    storage.commit(orphan, staged, "application/pdf")

    discard_unreferenced([kept.stored_name, orphan, "../../etc/passwd"])

    assert bucket_keys(s3_app) == [f"evidence/{kept.stored_name}"]


def test_members_download_the_same_bytes_and_others_get_not_found(
    s3_app, client, organisation, line, member, scheme
):
    data = PDF_BYTES + os.urandom(200_000)
    evidence = store(line, organisation, member, data)
    db.session.commit()
    url = f"/organisations/{organisation.slug}/evidence/{evidence.id}"
    outsider = make_user(email="outsider@example.com")
    make_organisation(owner=outsider, scheme=scheme)

    sign_in(client, member.email)
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Length"] == str(len(data))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"

    other = s3_app.test_client()
    sign_in(other, outsider.email)
    assert other.get(url).status_code == 404


def test_an_object_missing_from_the_bucket_is_not_found(
    s3_app, member_client, organisation, line, member
):
    evidence = store(line, organisation, member)
    db.session.commit()
    evidence_storage().delete(evidence.stored_name)

    url = f"/organisations/{organisation.slug}/evidence/{evidence.id}"
    assert member_client.get(url).status_code == 404


def test_the_setting_chooses_the_store(app):
    assert isinstance(storage_from_config(app.config), LocalStorage)
    app.config.update(EVIDENCE_STORAGE="s3", EVIDENCE_S3_BUCKET="b")
    assert isinstance(storage_from_config(app.config), S3Storage)
    app.config["EVIDENCE_STORAGE"] = "ftp"
    with pytest.raises(ValueError, match="local' or 's3"):
        storage_from_config(app.config)


def test_a_local_upload_rolled_back_leaves_no_file(app, organisation, line, member):
    store(line, organisation, member)
    db.session.rollback()

    assert list(LocalStorage(app.config["EVIDENCE_DIR"]).names()) == []
