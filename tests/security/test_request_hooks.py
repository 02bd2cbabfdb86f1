"""What runs on every request, kept to what it must do (issue 23): Flask-Limiter's
before-request check only where there are limits it applies, a session cookie's signer only
when a cookie came, the form read for NUL bytes only when there is a body, and the security
headers added once each."""

from __future__ import annotations

import io

import pytest
from flask.sessions import SecureCookieSessionInterface

from charter import create_app
from charter.extensions import limiter
from config import TestConfig
from tests.factories import sign_in


def _limiter_checks_every_request(app) -> bool:
    # Sign-in's own limits (tests/auth/test_sign_in.py) are checked by its view's wrapper.
    return limiter._check_request_limit in app.before_request_funcs.get(None, [])


def test_the_limiters_check_is_off_every_request_when_no_limit_applies_there(app):
    assert not _limiter_checks_every_request(app)


@pytest.mark.parametrize("kind", ["default_limits", "application_limits", "blueprint_limits"])
def test_the_limiters_check_stays_when_a_limit_applies_to_every_request(monkeypatch, kind):
    manager = limiter.limit_manager
    assert not manager.default_limits and not manager.application_limits
    assert not manager._blueprint_limits, "the service declares none of these"
    if kind == "blueprint_limits":
        monkeypatch.setattr(manager, "_blueprint_limits", {"public": ["a stand-in"]})
    else:
        monkeypatch.setattr(type(manager), kind, property(lambda _self: ["a stand-in"]))

    assert _limiter_checks_every_request(create_app(TestConfig))


def test_no_signer_is_built_for_a_request_without_a_session_cookie(app, client, monkeypatch):
    def refuse(self, app):
        raise AssertionError("built a signer for a request without a session cookie")

    monkeypatch.setattr(SecureCookieSessionInterface, "get_signing_serializer", refuse)

    assert client.get("/").status_code == 200


def test_a_session_cookie_is_still_read(app, member):
    client = app.test_client()
    sign_in(client, member.email)

    assert client.get("/account").status_code == 200


def test_a_nul_byte_in_a_form_sent_in_chunks_is_a_400(client, scheme):
    body = b"email=owner%00%40example.com&password=x"
    response = client.post(
        "/sign-in",
        input_stream=io.BytesIO(body),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/c/shropshire/register", "/api/v1/organisations"])
def test_each_security_header_is_sent_once(client, scheme, url):
    names = [name.lower() for name, _value in client.get(url).headers.items()]
    for name in ("x-content-type-options", "x-frame-options", "referrer-policy"):
        assert names.count(name) == 1, name
    assert names.count("content-security-policy") == 1


def test_an_app_with_the_limiter_turned_off_starts():
    class Unlimited(TestConfig):
        RATELIMIT_ENABLED = False

    app = create_app(Unlimited)

    assert app.test_client().get("/healthz").status_code == 200
