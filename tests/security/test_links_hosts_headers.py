"""Emailed links come from SERVICE_URL; unknown hosts are refused in production; HSTS and
no-store (issue 11, items 11 and 13)."""

from __future__ import annotations

import pytest

from charter import create_app
from config import ProductionConfig, TestConfig
from tests.auth.helpers import last_email_to
from tests.factories import sign_in


@pytest.fixture
def any_host(app):
    """The test settings name a SERVER_NAME, which would route a forged host nowhere."""
    app.config["SERVER_NAME"] = None
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_a_forged_host_does_not_reach_the_reset_link(any_host, client, member):
    client.post(
        "/forgotten-password",
        data={"email": member.email},
        headers={"Host": "evil.example"},
    )

    body = last_email_to(member.email).body
    assert "evil.example" not in body
    assert "http://localhost/reset-password/" in body


def test_a_forged_host_does_not_reach_the_verification_link(any_host, client, scheme):
    client.post(
        "/create-account",
        data={
            "full_name": "Ada Lovelace",
            "email": "ada@example.com",
            "password": "violet kettle marmalade",
            "confirm_password": "violet kettle marmalade",
        },
        headers={"Host": "evil.example"},
    )

    body = last_email_to("ada@example.com").body
    assert "evil.example" not in body
    assert "http://localhost/verify-email/" in body


def test_links_use_the_service_url_not_the_request_host(app):
    app.config["SERVICE_URL"] = "https://charter.example.gov.uk"
    fresh = create_app(type("C", (TestConfig,), {"SERVICE_URL": "https://charter.example.gov.uk"}))
    with fresh.test_request_context("/", base_url="http://evil.example"):
        from flask import url_for

        assert url_for("auth.sign_in", _external=True) == "https://charter.example.gov.uk/sign-in"
        assert url_for("auth.sign_in") == "/sign-in"


class TrustedHostsConfig(TestConfig):
    TRUSTED_HOSTS = ["localhost"]
    HSTS_SECONDS = 31536000


@pytest.fixture
def production_like(app):
    from charter.extensions import db

    fresh = create_app(TrustedHostsConfig)
    fresh.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]
    return fresh, db


def test_an_unknown_host_is_refused_when_trusted_hosts_is_set(production_like):
    fresh, _ = production_like
    client = fresh.test_client()

    assert client.get("/cookies").status_code == 200
    assert client.get("/cookies", headers={"Host": "evil.example"}).status_code == 400


def test_hsts_is_sent_in_production_only(production_like, client):
    fresh, _ = production_like

    hsts = fresh.test_client().get("/cookies").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/cookies").headers


def test_the_production_settings_trust_the_service_url_host_and_send_hsts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    config = ProductionConfig()
    assert config.HSTS_SECONDS >= 31536000
    assert config.TRUSTED_HOSTS == ["127.0.0.1"]  # the default SERVICE_URL's host

    monkeypatch.setenv("TRUSTED_HOSTS", "charter.example.gov.uk, www.charter.example.gov.uk")
    assert ProductionConfig().TRUSTED_HOSTS == [
        "charter.example.gov.uk",
        "www.charter.example.gov.uk",
    ]


def test_signed_in_pages_are_not_stored_and_public_ones_may_be(app, client, member):
    assert "no-store" not in client.get("/c/shropshire/register").headers.get("Cache-Control", "")

    signed_in = app.test_client()
    sign_in(signed_in, member.email)
    for url in ("/account", "/organisations/", "/c/shropshire/register", "/api/v1/scheme"):
        response = signed_in.get(url)
        assert response.headers["Cache-Control"] == "no-store", url


def test_staff_pages_are_not_stored(admin_client):
    assert admin_client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_a_signed_in_static_file_may_still_be_cached(app, member):
    client = app.test_client()
    sign_in(client, member.email)
    response = client.get("/static/js/init.js")
    assert response.headers.get("Cache-Control") != "no-store"


def test_the_content_security_policy_and_framing_headers_stay(client):
    headers = client.get("/").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
