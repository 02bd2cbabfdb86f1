"""Behind PROXY_COUNT proxies the client's address and scheme are the ones they report."""

from __future__ import annotations

from charter import create_app
from config import TestConfig


def app_behind(proxies: int):
    class Config(TestConfig):
        PROXY_COUNT = proxies

    app = create_app(Config)

    @app.get("/test-remote")
    def remote():
        from flask import request

        return {"addr": request.remote_addr, "scheme": request.scheme}

    return app


def test_one_proxy_is_trusted_for_the_last_hop_only():
    response = (
        app_behind(1)
        .test_client()
        .get(
            "/test-remote",
            headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https"},
        )
    )
    assert response.json == {"addr": "198.51.100.7", "scheme": "https"}


def test_without_proxies_forwarded_headers_are_ignored():
    response = (
        app_behind(0).test_client().get("/test-remote", headers={"X-Forwarded-For": "203.0.113.9"})
    )
    assert response.json == {"addr": "127.0.0.1", "scheme": "http"}


def test_production_cookies_come_with_strict_transport_security(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "max-age=" in client.get("/healthz").headers["Strict-Transport-Security"]
