"""JSON logs: a request id on every line and in the response, no email addresses, an access
line naming the route's pattern rather than its path."""

from __future__ import annotations

import io
import json
import logging

import pytest

from charter.operations.logs import json_handler


@pytest.fixture
def json_lines(app):
    app.config["LOG_FORMAT"] = "json"
    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_each_request_has_an_id_in_its_response_and_log_lines(app, client, json_lines):
    @app.get("/test-log")
    def log_something():
        app.logger.info("Email queued to olive.owner@example.com about return 7")
        return "ok"

    response = client.get("/test-log")
    request_id = response.headers["X-Request-Id"]
    lines = json_lines()
    mine = [line for line in lines if line.get("request_id") == request_id]

    assert len(request_id) == 32
    assert [line["message"] for line in mine] == [
        "Email queued to [email] about return 7",
        "GET /test-log 200",
    ]
    access = mine[1]
    assert access["logger"] == "charter.access"
    assert access["route"] == "/test-log" and access["status"] == 200
    assert access["duration_ms"] >= 0
    assert "example.com" not in json.dumps(lines)


def test_the_access_line_names_the_route_not_the_token(client, json_lines):
    client.get("/verify-email/b2xpdmVAZXhhbXBsZS5jb20.secret-token")

    access = [line for line in json_lines() if line["logger"] == "charter.access"]
    assert access, "no access line"
    assert "secret-token" not in json.dumps(access)
    assert access[0]["route"] == "/verify-email/<token>"


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-Id": "lb-1234abcd"})
    replaced = client.get("/healthz", headers={"X-Request-Id": "<script>alert(1)</script>"})

    assert kept.headers["X-Request-Id"] == "lb-1234abcd"
    assert "<" not in replaced.headers["X-Request-Id"]


def test_exceptions_are_logged_without_addresses(app, client, json_lines):
    @app.get("/test-boom")
    def boom():
        raise RuntimeError("could not reach olive@example.com")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    assert client.get("/test-boom").status_code == 500

    text = json.dumps(json_lines())
    assert "RuntimeError" in text
    assert "olive@example.com" not in text
