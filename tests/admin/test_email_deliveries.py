"""The administrators' email delivery page: the queue's state, permanent failures (from a real
SMTP server's refusal) and trying one again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.base import utcnow
from charter.services.infrastructure.mail import deliver_due
from tests.factories import csrf_token, make_organisation, make_user, sign_in
from tests.services.infrastructure.mail_helpers import RecordingHandler, queue, smtp_server

URL = "/admin/emails"
REFUSED = "person0@example.com"


def refuse_first_email(app) -> int:
    """Queue two emails; a real SMTP server refuses the first for good and takes the second."""
    refused_id, _ = queue(2)
    with smtp_server(app, RecordingHandler(refuse=frozenset({REFUSED}))):
        deliver_due()
    return refused_id


def retry(client, email_id: int):
    return client.post(f"{URL}/{email_id}/retry", data={"csrf_token": csrf_token(client, URL)})


@pytest.mark.parametrize(
    ("who", "expected"),
    # The service's page (charter/admin/scope.py): staff who are not service administrators,
    # a charter's administrator included, are told nothing of it.
    [
        ("anonymous", 302),
        ("member", 403),
        ("assessor", 404),
        ("administrator", 404),
        ("admin", 200),
    ],
)
def test_permission_matrix(app, scheme, who, expected):
    (email_id,) = queue()
    db.session.get(OutboxEmail, email_id).status = "failed_permanently"
    db.session.commit()
    client = app.test_client()
    if who != "anonymous":
        user = make_user(role="member" if who == "member" else who)
        if who == "member":
            make_organisation(owner=user, scheme=scheme)
        sign_in(client, user.email)
    # The form token is checked before the role; without it every POST would be a 400.
    app.config["WTF_CSRF_ENABLED"] = False

    page = client.get(URL)
    retried = client.post(f"{URL}/{email_id}/retry")

    assert page.status_code == expected
    assert retried.status_code == (302 if who == "admin" else expected)
    db.session.expire_all()
    status = db.session.get(OutboxEmail, email_id).status
    assert status == ("queued" if who == "admin" else "failed_permanently")


def test_a_permanent_refusal_shows_with_its_reason_and_on_the_dashboard(app, admin_client):
    refuse_first_email(app)

    page = admin_client.get(URL).get_data(as_text=True)
    dashboard = admin_client.get("/admin/").get_data(as_text=True)

    assert "Emails that could not be sent" in page
    assert REFUSED in page
    assert "The SMTP server refused the recipient: 550 5.1.1 [email address]" in page
    assert "Try again" in page
    assert "1 could not be sent" in dashboard and URL in dashboard


def test_trying_again_queues_the_email_and_the_worker_sends_it(app, admin_client):
    refused_id = refuse_first_email(app)

    response = retry(admin_client, refused_id)

    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert f"The email to {REFUSED} will be sent again shortly." in admin_client.get(URL).get_data(
        as_text=True
    )
    db.session.expire_all()
    queued = db.session.get(OutboxEmail, refused_id)
    assert (queued.status, queued.attempts) == ("queued", 0)
    with smtp_server(app) as server:
        deliver_due()
    assert [m["To"] for m in server.messages] == [REFUSED]


def test_trying_again_an_email_that_has_not_failed_changes_nothing(app, admin_client):
    (email_id,) = queue()
    with smtp_server(app):
        deliver_due()

    response = retry(admin_client, email_id)

    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "had not failed, so nothing was changed" in page
    db.session.expire_all()
    assert db.session.get(OutboxEmail, email_id).status == "sent"


@pytest.mark.parametrize("email_id", ["999", str(2**31), str(2**63)])
def test_an_unknown_email_is_not_found(admin_client, email_id):
    token = csrf_token(admin_client, URL)

    response = admin_client.post(f"{URL}/{email_id}/retry", data={"csrf_token": token})

    assert response.status_code == 404


def test_without_the_form_token_nothing_changes(app, admin_client):
    refused_id = refuse_first_email(app)

    assert admin_client.post(f"{URL}/{refused_id}/retry", data={}).status_code == 400
    db.session.expire_all()
    assert db.session.get(OutboxEmail, refused_id).status == "failed_permanently"


def test_counts_by_state_and_warns_when_emails_wait_too_long(app, admin_client):
    (old_id,) = queue()
    db.session.get(OutboxEmail, old_id).created_at = utcnow() - timedelta(hours=2)
    db.session.commit()

    page = admin_client.get(URL).get_data(as_text=True)

    assert "Check that the mail worker" in page
    assert "None. Every email has been sent" in page


def test_an_empty_outbox_has_no_warning(admin_client):
    page = admin_client.get(URL).get_data(as_text=True)

    assert "Check that the mail worker" not in page
    assert "Emails by state" in page


@pytest.mark.parametrize("failures", [1, 12])
def test_queries_do_not_grow_with_the_outbox(app, admin_client, query_counter, failures):
    queue(failures, prefix="refused")
    refused = frozenset(f"refused{i}@example.com" for i in range(failures))
    with smtp_server(app, RecordingHandler(refuse=refused)):
        deliver_due()
    queue(failures + 1, prefix="busy")
    with smtp_server(app, RecordingHandler(fail_first=failures)):
        deliver_due()  # one sent, the rest waiting to be tried again
    admin_client.get(URL)  # warm up: the session user is loaded on the first request

    with query_counter() as count:
        page = admin_client.get(URL).get_data(as_text=True)

    assert page.count("Try again<span") == failures
    assert page.count("so far)</dd>") == failures
    assert count.value == 4  # at both sizes: counts, oldest waiting, the two lists
