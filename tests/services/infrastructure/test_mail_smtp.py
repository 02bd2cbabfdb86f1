"""Delivery by SMTP to a real aiosmtpd server on loopback: headers, retries with back-off,
permanent refusals, connection problems and sign-in."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest

from charter.extensions import db
from charter.models import OutboxEmail
from charter.services.infrastructure.mail import deliver_due
from tests.services.infrastructure.mail_helpers import (
    RecordingHandler,
    free_port,
    queue,
    smtp_server,
    states,
    tls_certificate,
)

T0 = datetime(2026, 11, 23, 9, 0, 0)
UNSUBSCRIBE = "<https://charter.example/unsubscribe/abc123>"


def email(email_id: int) -> OutboxEmail:
    db.session.expire_all()
    return db.session.get(OutboxEmail, email_id)


def test_sends_each_email_with_its_extra_headers_and_records_it(app, db):
    (email_id,) = queue(
        headers={
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "To": "someone-else@example.com",  # never overrides the service's own headers
        }
    )
    with smtp_server(app) as server:
        counts = deliver_due(now=T0)

    assert (counts.sent, counts.retrying, counts.failed) == (1, 0, 0)
    (message,) = server.messages
    assert message["To"] == "person0@example.com"
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Subject"] == "Subject 0"
    assert message["List-Unsubscribe"] == UNSUBSCRIBE
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "https://charter.example/0" in message.get_content()
    sent = email(email_id)
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, T0)
    assert sent.provider_reference == message["Message-ID"]
    assert message["Message-ID"].startswith(f"<charter-outbox-{email_id}-")


def test_a_server_failing_the_first_attempts_gets_the_email_after_backing_off(app, db):
    (email_id,) = queue()
    with smtp_server(app, RecordingHandler(fail_first=2)) as server:
        deliver_due(now=T0)
        first = email(email_id)
        assert (first.status, first.attempts) == ("failed_will_retry", 1)
        assert first.next_attempt_at == T0 + timedelta(seconds=60)
        assert "451" in first.last_error

        too_soon = deliver_due(now=T0 + timedelta(seconds=59))
        assert too_soon.attempted == 0

        deliver_due(now=T0 + timedelta(seconds=60))
        second = email(email_id)
        assert (second.status, second.attempts) == ("failed_will_retry", 2)
        assert second.next_attempt_at == T0 + timedelta(seconds=60 + 120)

        deliver_due(now=T0 + timedelta(seconds=180))

    assert server.attempts == 3
    assert len(server.messages) == 1
    done = email(email_id)
    assert (done.status, done.attempts) == ("sent", 3)


def test_back_off_is_capped_and_gives_up_after_the_most_attempts(app, db):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=60, MAIL_RETRY_MAX_SECONDS=90)
    (email_id,) = queue()
    with smtp_server(app, RecordingHandler(fail_first=10)) as server:
        deliver_due(now=T0)
        deliver_due(now=T0 + timedelta(seconds=60))
        assert email(email_id).next_attempt_at == T0 + timedelta(seconds=60 + 90)
        deliver_due(now=T0 + timedelta(seconds=150))
        deliver_due(now=T0 + timedelta(days=1))

    assert server.attempts == 3
    failed = email(email_id)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        "failed_permanently",
        3,
        None,
    )
    assert failed.last_error.startswith("Gave up after 3 attempts.")


def test_a_permanent_refusal_is_not_retried_and_its_reason_has_no_address(app, db):
    refused_id, accepted_id = queue(2)
    handler = RecordingHandler(refuse=frozenset({"person0@example.com"}))
    with smtp_server(app, handler) as server:
        counts = deliver_due(now=T0)
        again = deliver_due(now=T0 + timedelta(days=1))

    assert (counts.sent, counts.failed, again.attempted) == (1, 1, 0)
    assert [m["To"] for m in server.messages] == ["person1@example.com"]
    refused = email(refused_id)
    assert (refused.status, refused.attempts) == ("failed_permanently", 1)
    assert "550" in refused.last_error and "[email address]" in refused.last_error
    assert "person0@example.com" not in refused.last_error
    assert states(accepted_id) == ["sent"]


def test_an_unreachable_server_is_a_transient_failure(app, db):
    (email_id,) = queue()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())

    counts = deliver_due(now=T0)

    assert counts.retrying == 1
    waiting = email(email_id)
    assert waiting.status == "failed_will_retry"
    assert waiting.last_error.startswith("Could not connect to the SMTP server")


def test_signs_in_with_the_configured_username_and_password(app, db):
    ok_id, wrong_id = queue(2)
    with smtp_server(app, login=("charter", "s3cret")) as server:
        app.config.update(MAIL_USERNAME="charter", MAIL_PASSWORD="s3cret")
        deliver_due(1, now=T0)
        app.config.update(MAIL_PASSWORD="wrong")
        deliver_due(1, now=T0)

    assert len(server.messages) == 1
    assert states(ok_id, wrong_id) == ["sent", "failed_will_retry"]
    assert "username or password" in email(wrong_id).last_error


def test_a_header_that_would_inject_another_header_fails_the_email_for_good(app, db):
    (email_id,) = queue(headers={"X-Campaign": "spring\r\nBcc: attacker@example.com"})
    with smtp_server(app) as server:
        deliver_due(now=T0)

    assert server.messages == []
    failed = email(email_id)
    assert failed.status == "failed_permanently"
    assert "X-Campaign" in failed.last_error and "attacker" not in failed.last_error


needs_openssl = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="the openssl command makes the test certificate"
)


@needs_openssl
@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_sends_over_tls_checking_the_certificate(app, db, tmp_path, monkeypatch, mode):
    server_context = tls_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    (email_id,) = queue()
    tls = {"starttls": server_context} if mode == "starttls" else {"implicit_tls": server_context}
    with smtp_server(app, **tls) as server:
        app.config.update(MAIL_USE_STARTTLS=mode == "starttls", MAIL_USE_SSL=mode == "ssl")
        deliver_due(now=T0)

    assert len(server.messages) == 1
    assert states(email_id) == ["sent"]


@needs_openssl
def test_an_untrusted_certificate_is_refused_and_retried(app, db, tmp_path):
    (email_id,) = queue()
    with smtp_server(app, starttls=tls_certificate(tmp_path)) as server:
        app.config.update(MAIL_USE_STARTTLS=True)
        deliver_due(now=T0)

    assert server.messages == []
    waiting = email(email_id)
    assert waiting.status == "failed_will_retry"
    assert waiting.last_error.startswith("TLS with the SMTP server failed")


def test_a_server_insisting_on_starttls_is_retried_while_the_settings_are_fixed(app, db, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate")
    (email_id,) = queue()
    with smtp_server(app, starttls=tls_certificate(tmp_path)) as server:
        deliver_due(now=T0)

    assert server.messages == []
    waiting = email(email_id)
    assert waiting.status == "failed_will_retry"
    assert "530" in waiting.last_error and "MAIL_USE_STARTTLS" in waiting.last_error
