"""/healthz answers while the process is alive; /readyz only when this worker can serve."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.operations.operations_helpers import migrated_sqlite_app

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
]


def test_healthz_needs_nothing_but_the_process(client, db, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_at_the_migrations_head(tmp_path):
    app = migrated_sqlite_app(tmp_path)
    with app.app_context():
        response = app.test_client().get("/readyz")

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "storage": "ok",
    }


def test_readyz_refuses_a_database_behind_the_migrations(tmp_path):
    app = migrated_sqlite_app(tmp_path)
    with app.app_context():
        from charter.extensions import db

        db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
        response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["migrations"] == "not at head"


def test_readyz_refuses_a_database_never_migrated(client):
    # The test database is built from the models, without Alembic's version table.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["migrations"] == "not migrated"
    assert response.json["database"] == "ok"


def test_readyz_refuses_an_unreachable_database(client, db, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_readyz_refuses_unwritable_storage(app, client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    app.config["EVIDENCE_DIR"] = str(blocker / "evidence")

    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["storage"] == "not writable"


def test_readyz_checks_the_bucket(s3_app, client):
    assert client.get("/readyz").json["storage"] == "ok"
    s3_app.config["EVIDENCE_S3_BUCKET"] = "no-such-bucket"
    assert client.get("/readyz").json["storage"] == "not writable"
