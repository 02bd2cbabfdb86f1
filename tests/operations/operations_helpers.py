"""Helpers for the operations tests: a migrated SQLite app, logging put back afterwards."""

from __future__ import annotations

import logging
from contextlib import contextmanager


@contextmanager
def logging_restored():
    """Alembic's env.py reconfigures logging (disabling the app's loggers): undo that."""
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
        for name, (disabled, lvl, logger_handlers, propagate) in loggers.items():
            logger = logging.getLogger(name)
            logger.disabled, logger.level, logger.propagate = disabled, lvl, propagate
            logger.handlers[:] = logger_handlers


def migrated_sqlite_app(tmp_path):
    """An app on a file SQLite database brought to head by the real migrations."""
    from flask_migrate import upgrade

    from charter import create_app
    from config import TestConfig

    class MigratedConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.db'}"

    app = create_app(MigratedConfig)
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    with app.app_context(), logging_restored():
        upgrade()
    return app
