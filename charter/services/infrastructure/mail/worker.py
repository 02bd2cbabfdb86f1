"""The long-running delivery loop behind ``flask charter mail-worker``.

Several may run at once on PostgreSQL (each claim skips rows another worker holds); on SQLite
run one. The loop sends whatever is due, then waits ``MAIL_WORKER_POLL_SECONDS``; a stop
request (SIGTERM or Ctrl+C, set on ``stop``) lets the email being sent finish, records it, and
ends the loop. A database that goes away is waited for rather than ending the process.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from charter.services.infrastructure.mail.delivery import DeliveryCounts, deliver_due

log = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 5.0
# Emails sent per round before the SMTP connection and database session are renewed.
ROUND_SIZE = 50


def run_worker(
    app: Flask,
    *,
    stop: threading.Event | None = None,
    stop_when_empty: bool = False,
    poll_seconds: float | None = None,
) -> DeliveryCounts:
    """Deliver until ``stop`` is set (or, with ``stop_when_empty``, until nothing is due)."""
    stop = stop or threading.Event()
    if poll_seconds is None:
        poll_seconds = float(app.config.get("MAIL_WORKER_POLL_SECONDS") or DEFAULT_POLL_SECONDS)
    totals = DeliveryCounts()
    while not stop.is_set():
        try:
            with app.app_context():  # its teardown hands the connection back
                counts = deliver_due(ROUND_SIZE, should_stop=stop.is_set)
        except SQLAlchemyError:
            # A connection that died while idle is replaced at the next round's checkout
            # (charter/operations/connection_checks.py).
            log.exception("Mail worker: database error; trying again in %s s", poll_seconds)
            stop.wait(poll_seconds)
            continue
        totals.add(counts)
        if counts.attempted == 0:
            if stop_when_empty:
                break
            stop.wait(poll_seconds)
    return totals
