"""The backup and restore of docs/operations.md, tried: pg_dump of the database plus an
archive of the evidence directory, restored into a new database and directory, serve the same
evidence."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from charter import create_app
from charter.extensions import db
from config import TestConfig
from tests.factories import sign_in
from tests.operations.smoke_helpers import scratch_database
from tests.services.infrastructure.storage_helpers import PDF_BYTES, make_line, store

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql") or shutil.which("pg_dump") is None,
    reason="backups are made of PostgreSQL with pg_dump",
)


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_a_backup_restores_the_rows_and_the_files(app, organisation, member, tmp_path):
    content = PDF_BYTES + os.urandom(50_000)
    evidence = store(make_line(organisation), organisation, member, content)
    db.session.commit()
    evidence_id, slug, email = evidence.id, organisation.slug, member.email
    db.session.remove()

    # Backup: the database, then the evidence directory (files are only ever added or removed
    # after their rows, so a dump taken first never names a file the archive lacks).
    dump = tmp_path / "charter.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", libpq(DATABASE_URL)],
        check=True,
    )
    archive = shutil.make_archive(
        str(tmp_path / "evidence"), "gztar", root_dir=app.config["EVIDENCE_DIR"]
    )

    # Restore: into a new, empty database and a new directory.
    restored_url = scratch_database(DATABASE_URL, "_restored")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(restored_url)}", dump],
        check=True,
    )
    restored_dir = tmp_path / "restored-evidence"
    shutil.unpack_archive(archive, restored_dir)

    class RestoredConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = restored_url

    restored = create_app(RestoredConfig)
    restored.config["EVIDENCE_DIR"] = str(restored_dir)
    with restored.app_context():
        client = restored.test_client()
        sign_in(client, email)
        response = client.get(f"/organisations/{slug}/evidence/{evidence_id}")
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 200
    assert response.data == content
