"""Helpers for the operations tests: a migrated SQLite app, logging put back afterwards."""

from __future__ import annotations

from tests.migration_helpers import logging_kept


def migrated_sqlite_app(tmp_path):
    """An app on a file SQLite database brought to head by the real migrations."""
    from flask_migrate import upgrade

    from charter import create_app
    from config import TestConfig

    class MigratedConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.db'}"

    app = create_app(MigratedConfig)
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    with app.app_context(), logging_kept():
        upgrade()
    return app
