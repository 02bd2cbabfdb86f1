"""gunicorn builds an access line only when one would be written somewhere: given the shipped
settings (no access log, a logging dictionary for JSON error lines) it built one for every request
and dropped it, a sixth of a worker's Python time on a page served from memory (issue 23)."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path

import pytest
from gunicorn import glogging
from gunicorn.config import Config

from charter.operations import gunicorn_logging

SHIPPED = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def shipped_config(**changes) -> Config:
    """gunicorn's configuration as the shipped file sets it (as gunicorn reads a config file:
    each name that is a setting), with ``changes``."""
    cfg = Config()
    settings = {**runpy.run_path(str(SHIPPED)), **changes}
    for name, value in settings.items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


@pytest.fixture
def built(monkeypatch):
    """The access lines gunicorn built (its ``atoms``), each request's dropped or written."""
    lines = []
    monkeypatch.setattr(glogging.Logger, "atoms", lambda _logger, *args: lines.append(args) or {})
    return lines


def access_logger(cfg: Config) -> glogging.Logger:
    """The configured logger class, without its setup (which would configure this process's
    logging): only its settings and an access logger."""
    logger = cfg.logger_class.__new__(cfg.logger_class)
    logger.cfg = cfg
    logger.access_log = logging.getLogger("tests.gunicorn.access")
    return logger


def test_the_shipped_settings_use_the_logger_that_builds_no_unwritten_lines(built):
    cfg = shipped_config()
    assert cfg.logger_class is gunicorn_logging.Logger
    assert cfg.accesslog is None and cfg.logconfig_dict  # what made gunicorn build them
    access_logger(cfg).access(None, None, {}, None)
    assert built == []


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"accesslog": "-"}, "an access log on standard output"),
        ({"syslog": True}, "syslog, which takes access lines unless told not to"),
        (
            {
                "logconfig_dict": {
                    "version": 1,
                    "loggers": {"gunicorn.access": {"level": "INFO"}},
                }
            },
            "a gunicorn.access logger in the logging dictionary",
        ),
    ],
)
def test_an_access_line_is_still_built_where_it_is_written(built, changes, why):
    access_logger(shipped_config(**changes)).access(None, None, {}, None)
    assert len(built) == 1, why


def test_syslog_told_to_keep_access_lines_out_builds_none(built):
    cfg = shipped_config(syslog=True, disable_redirect_access_to_syslog=True)
    access_logger(cfg).access(None, None, {}, None)
    assert built == []
