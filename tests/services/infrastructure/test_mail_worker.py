"""The delivery worker: two workers at once send every email exactly once (PostgreSQL), the
command-line worker, stale claims from a worker that stopped mid-send, and stopping."""

from __future__ import annotations

import signal
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.base import utcnow
from charter.services.infrastructure.mail.worker import run_worker
from tests.services.infrastructure.mail_helpers import (
    RecordingHandler,
    queue,
    smtp_server,
    start_worker_process,
    states,
    worker_database,
)

EMAILS = 80


def test_two_workers_started_together_send_every_email_exactly_once(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "SQLite has no SELECT ... FOR UPDATE SKIP LOCKED and is run with one worker "
            "process; the concurrent claim is tested on PostgreSQL"
        )
    queue(EMAILS)
    # A small delay per message keeps both workers busy at the same time.
    with smtp_server(app, RecordingHandler(delay=0.01)) as server:
        start = threading.Barrier(2)
        results: dict[str, object] = {}

        def work(name: str) -> None:
            start.wait()
            try:
                results[name] = run_worker(app, stop_when_empty=True, poll_seconds=0.1)
            except Exception as exc:  # noqa: BLE001  (reported below, not lost in the thread)
                results[name] = exc

        workers = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)

    assert not any(w.is_alive() for w in workers)
    a, b = results["a"], results["b"]
    assert not isinstance(a, Exception) and not isinstance(b, Exception), results
    received = server.received_by()
    assert len(server.messages) == EMAILS
    assert set(received.values()) == {1}
    assert len(received) == EMAILS
    assert a.sent + b.sent == EMAILS
    assert a.sent > 0 and b.sent > 0, "both workers should have sent some"
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxEmail).where(OutboxEmail.status != "sent")
        )
        == 0
    )


def test_the_mail_worker_command_delivers_and_stops_when_empty(app):
    queue(3)
    with smtp_server(app) as server:
        result = app.test_cli_runner().invoke(
            args=["charter", "mail-worker", "--stop-when-empty", "--poll-seconds", "0.1"]
        )

    assert result.exit_code == 0, result.output
    assert "Mail worker started (smtp backend)." in result.output
    assert "Mail worker stopped. Sent 3 emails." in result.output
    assert len(server.messages) == 3


def test_the_worker_refuses_to_start_without_a_usable_backend(app):
    app.config.update(MAIL_BACKEND="notify", NOTIFY_API_KEY=None)

    result = app.test_cli_runner().invoke(args=["charter", "mail-worker", "--stop-when-empty"])

    assert result.exit_code != 0
    assert "NOTIFY_API_KEY is missing" in result.output


def test_a_claim_left_by_a_stopped_worker_is_tried_again_after_the_lease(app):
    stale_id, fresh_id = queue(2)
    now = utcnow()
    for email_id, claimed in ((stale_id, now - timedelta(minutes=16)), (fresh_id, now)):
        row = db.session.get(OutboxEmail, email_id)
        row.status, row.claimed_at, row.attempts = "sending", claimed, 1
    db.session.commit()

    with smtp_server(app) as server:
        run_worker(app, stop_when_empty=True, poll_seconds=0.1)

    assert [m["To"] for m in server.messages] == ["person0@example.com"]
    assert states(stale_id, fresh_id) == ["sent", "sending"]
    assert db.session.get(OutboxEmail, stale_id).attempts == 2


def test_a_stop_request_ends_the_waiting_worker(app):
    stop = threading.Event()
    with smtp_server(app):
        worker = threading.Thread(
            target=run_worker, args=(app,), kwargs={"stop": stop, "poll_seconds": 30}
        )
        worker.start()
        time.sleep(0.5)  # long enough to find nothing due and start waiting
        stop.set()
        worker.join(timeout=5)

    assert not worker.is_alive()


def test_the_scheduler_delivers_email_when_asked_to(app):
    from charter.scheduler import build_scheduler, deliver_emails

    assert build_scheduler(app).get_job("deliver_emails") is None
    app.config.update(MAIL_DELIVERY_IN_SCHEDULER=True, MAIL_WORKER_POLL_SECONDS=30)
    job = build_scheduler(app).get_job("deliver_emails")
    assert job.trigger.interval.total_seconds() == 30

    queue(2)
    with smtp_server(app) as server:
        deliver_emails(app)

    assert len(server.messages) == 2


def test_the_worker_process_stops_cleanly_on_sigterm(app, tmp_path):
    """The real command in its own process, as a process runner starts and stops it."""
    url = db.engine.url.render_as_string(hide_password=False)
    if db.engine.dialect.name == "sqlite":  # the suite's in-memory database is not shareable
        url = worker_database(tmp_path)
    else:
        queue(3)
    with smtp_server(app) as server:
        worker = start_worker_process(url, app.config["MAIL_PORT"])
        try:
            deadline = time.monotonic() + 60
            while len(server.messages) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()

    assert len(server.messages) == 3
    assert worker.returncode == 0, output
    assert "Mail worker stopped. Sent 3 emails." in output
