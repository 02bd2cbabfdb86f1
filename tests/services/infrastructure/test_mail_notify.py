"""Delivery through GOV.UK Notify's official client, against a local HTTP server that answers
like Notify's API: the generic template, permanent 4xx refusals, retried 5xx and 429."""

from __future__ import annotations

from datetime import datetime, timedelta

from charter.extensions import db
from charter.models import OutboxEmail
from charter.services.infrastructure.mail import deliver_due
from tests.services.infrastructure.mail_helpers import (
    TEMPLATE_ID,
    free_port,
    notify_error,
    notify_server,
    queue,
)

T0 = datetime(2026, 11, 23, 9, 0, 0)


def email(email_id: int) -> OutboxEmail:
    db.session.expire_all()
    return db.session.get(OutboxEmail, email_id)


def test_sends_through_the_generic_template_with_the_unsubscribe_address(app, db):
    (email_id,) = queue(headers={"List-Unsubscribe": "<https://charter.example/unsubscribe/t1>"})
    with notify_server(app) as notify:
        counts = deliver_due(now=T0)

    assert counts.sent == 1
    (request,) = notify.requests
    assert request["email_address"] == "person0@example.com"
    assert request["template_id"] == TEMPLATE_ID
    assert request["personalisation"] == {
        "subject": "Subject 0",
        "body": "Hello 0.\nhttps://charter.example/0\n",
    }
    assert request["reference"] == f"charter-outbox-{email_id}"
    assert request["one_click_unsubscribe_url"] == "https://charter.example/unsubscribe/t1"
    sent = email(email_id)
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, T0)
    assert len(sent.provider_reference) == 36  # Notify's notification id


def test_a_4xx_refusal_fails_the_email_for_good_without_the_address(app, db):
    (email_id,) = queue()
    refusal = notify_error(400, "BadRequestError", "person0@example.com is not on the team")
    with notify_server(app, answers=[refusal]) as notify:
        deliver_due(now=T0)
        deliver_due(now=T0 + timedelta(days=1))

    assert len(notify.requests) == 1
    failed = email(email_id)
    assert failed.status == "failed_permanently"
    assert failed.last_error == ("GOV.UK Notify answered 400: [email address] is not on the team")


def test_a_5xx_answer_is_retried_after_backing_off(app, db):
    (email_id,) = queue()
    outage = notify_error(500, "Exception", "Internal server error")
    with notify_server(app, answers=[outage]) as notify:
        deliver_due(now=T0)
        waiting = email(email_id)
        assert (waiting.status, waiting.next_attempt_at) == (
            "failed_will_retry",
            T0 + timedelta(seconds=60),
        )
        assert "500" in waiting.last_error
        deliver_due(now=T0 + timedelta(seconds=60))

    assert len(notify.requests) == 2
    assert email(email_id).status == "sent"


def test_rate_limiting_is_retried(app, db):
    (email_id,) = queue()
    limited = notify_error(429, "RateLimitError", "Exceeded rate limit for key type LIVE")
    with notify_server(app, answers=[limited]):
        deliver_due(now=T0)

    assert email(email_id).status == "failed_will_retry"


def test_a_refused_api_key_is_retried_while_the_settings_are_fixed(app, db):
    (email_id,) = queue()
    with notify_server(app) as notify:
        app.config["NOTIFY_API_KEY"] = app.config["NOTIFY_API_KEY"][:-4] + "0000"
        deliver_due(now=T0)

    assert notify.requests == []  # the server refused the token before reading the email
    waiting = email(email_id)
    assert waiting.status == "failed_will_retry"
    assert "403" in waiting.last_error and "NOTIFY_API_KEY" in waiting.last_error


def test_an_unreachable_notify_is_retried(app, db):
    (email_id,) = queue()
    with notify_server(app):
        app.config["NOTIFY_BASE_URL"] = f"http://127.0.0.1:{free_port()}"
        deliver_due(now=T0)

    waiting = email(email_id)
    assert waiting.status == "failed_will_retry"
    assert waiting.last_error.startswith("Could not reach GOV.UK Notify")
