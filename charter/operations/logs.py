"""Structured logs: one JSON object a line, each with the id of the request it belongs to.

Log lines say what happened to which record (by id), never to whom: an email address that
slips into a message is masked by the formatter as a last line of defence. The access log is
written here rather than by gunicorn, because gunicorn's would carry the client's address,
query strings and the signed tokens in emailed links; ours names the route's pattern
("/verify-email/<token>"), not the path.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# What a proxy or load balancer might send as its own request id; anything else is replaced.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:=-]{8,128}$")
_FIELDS = ("request_id", "method", "route", "status", "duration_ms")


def mask_personal_data(text: str) -> str:
    return _EMAIL.sub("[email]", text)


class JsonFormatter(logging.Formatter):
    """Also named in gunicorn.conf.py, so gunicorn's own lines come out the same way."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None and has_request_context():
            # Handlers format in the thread that logged, so the request is still current.
            record.request_id = g.get("request_id")
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal_data(record.getMessage()),
        }
        for field in _FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = mask_personal_data(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    return handler


def init_logging(app: Flask) -> None:
    """Give every request an id; in JSON mode, log through one JSON handler on the root logger
    (so gunicorn's, SQLAlchemy's and the app's lines look alike) with an access line each."""

    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def echo_request_id(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-Id"] = request_id
        if app.config.get("LOG_FORMAT") == "json":
            _log_access(response.status_code)
        return response

    if app.config.get("LOG_FORMAT") != "json":
        return
    root = logging.getLogger()
    # gunicorn.conf.py may have put one there already; a second app in a process adds none.
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(json_handler())
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    app.logger.setLevel(logging.INFO)


def _log_access(status: int) -> None:
    started = g.get("request_started")
    rule = request.url_rule
    logging.getLogger("charter.access").info(
        "%s %s %s",
        request.method,
        rule.rule if rule is not None else "<no route>",
        status,
        extra={
            "method": request.method,
            "route": rule.rule if rule is not None else None,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )
