"""Helpers for the migration tests: an app on an empty database, and logging put back after
Alembic has changed it. The one place for both, as a fixture and as a context manager."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import MetaData

from charter import create_app
from charter.extensions import db
from config import TestConfig
from tests.conftest import mark_schema_dirty


@contextmanager
def logging_kept() -> Iterator[None]:
    """Alembic's env.py calls logging.config.fileConfig, which disables every logger it does not
    name (the app's among them): put logging back as it was for the tests that follow."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: (logger.disabled, logger.level, logger.handlers[:], logger.propagate)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, (disabled, logger_level, logger_handlers, propagate) in loggers.items():
            logger = logging.getLogger(name)
            logger.disabled, logger.level, logger.propagate = disabled, logger_level, propagate
            logger.handlers[:] = logger_handlers


@pytest.fixture
def keep_logging():
    with logging_kept():
        yield


@contextmanager
def empty_database(tmp_path) -> Iterator[Flask]:
    """An app on an empty database: a temporary SQLite file, or the PostgreSQL database the
    suite runs on (DATABASE_URL), emptied first and left for conftest to rebuild."""
    config = TestConfig
    if TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):

        class FileDatabaseConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrations.db'}"

        config = FileDatabaseConfig
    app = create_app(config)
    with logging_kept(), app.app_context():
        _drop_every_table()
        try:
            yield app
        finally:
            db.session.remove()
            if db.engine.dialect.name != "sqlite":
                _drop_every_table()
                mark_schema_dirty()
            db.engine.dispose()


@pytest.fixture
def empty_database_app(tmp_path, keep_logging):
    with empty_database(tmp_path) as app:
        yield app


def _drop_every_table() -> None:
    # Reflect rather than use the models' metadata, so alembic_version and any table the models
    # no longer have are dropped too.
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


def demo_at_head(tmp_path, more_schemes: tuple[str, ...] = ()) -> Flask:
    """The demo's data in the empty database, migrated to head: what a migration test takes
    down and up again. Inside ``empty_database_app``. ``more_schemes``: files in ``schemes/``
    loaded after the default one (other charters)."""
    from pathlib import Path

    from flask import current_app
    from flask_migrate import upgrade

    app = current_app._get_current_object()
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    upgrade()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["charter", "load-scheme"]).exit_code == 0
    for name in more_schemes:
        path = Path(app.root_path).parent / "schemes" / name
        result = runner.invoke(args=["charter", "load-scheme", str(path)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["charter", "demo-data"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return app
