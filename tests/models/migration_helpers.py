"""An app on an empty database for data-migration tests (the same approach as
tests/test_migrations.py, whose fixtures a test module may not import)."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from sqlalchemy import MetaData

from charter import create_app
from charter.extensions import db
from config import TestConfig
from tests.conftest import mark_schema_dirty


@contextmanager
def logging_kept():
    """Alembic's env.py runs logging.config.fileConfig, which disables the loggers it does not
    name: put them back afterwards."""
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
        for name, (disabled, level, logger_handlers, propagate) in loggers.items():
            logger = logging.getLogger(name)
            logger.disabled, logger.level, logger.propagate = disabled, level, propagate
            logger.handlers[:] = logger_handlers


def _drop_every_table() -> None:
    existing = MetaData()
    existing.reflect(bind=db.engine)
    existing.drop_all(bind=db.engine)


@contextmanager
def empty_database_app(tmp_path):
    """An app on an empty database: a SQLite file, or the suite's PostgreSQL database emptied
    first and left for conftest to rebuild."""
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
