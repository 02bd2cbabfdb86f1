"""Fixtures for the migration tests: an app on an empty database."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import MetaData

from charter import create_app
from charter.extensions import db
from config import TestConfig
from tests.conftest import mark_schema_dirty


@pytest.fixture
def keep_logging():
    """Alembic's env.py calls logging.config.fileConfig, which disables every logger it does not
    name (the app's among them): put logging back as it was for the tests that follow."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: (logger.disabled, logger.level, logger.handlers[:], logger.propagate)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.handlers[:], root.level = handlers, level
    for name, (disabled, level, logger_handlers, propagate) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.level, logger.propagate = disabled, level, propagate
        logger.handlers[:] = logger_handlers


@pytest.fixture
def empty_database_app(tmp_path, keep_logging):
    """An app on an empty database: a temporary SQLite file, or the PostgreSQL database the
    suite runs on (DATABASE_URL), emptied first and left for conftest to rebuild."""
    config = TestConfig
    if TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):

        class FileDatabaseConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrations.db'}"

        config = FileDatabaseConfig
    app = create_app(config)
    with app.app_context():
        _drop_every_table()
        try:
            yield app
        finally:
            db.session.remove()
            if db.engine.dialect.name != "sqlite":
                _drop_every_table()
                mark_schema_dirty()
            db.engine.dispose()


def _drop_every_table() -> None:
    # Reflect rather than use the models' metadata, so alembic_version and any table the models
    # no longer have are dropped too.
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)
