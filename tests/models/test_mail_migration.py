"""The delivery-state migration: emails already sent become "sent", the rest stay queued."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from charter.extensions import db
from tests.migration_helpers import empty_database

AFTER = "beb3f798b819"
BEFORE = f"{AFTER}-1"  # whatever it follows after a rebase

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def test_sent_emails_become_sent_and_the_rest_stay_queued(tmp_path):
    with empty_database(tmp_path):
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO outbox_emails (to_address, subject, body, created_at, sent_at) "
                    "VALUES ('a@example.com', 'Sent', 'x', '2026-01-01 09:00:00', "
                    "'2026-01-01 09:05:00'), "
                    "('b@example.com', 'Waiting', 'y', '2026-01-02 09:00:00', NULL)"
                )
            )

        upgrade(revision=AFTER)

        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT subject, status, attempts, last_attempt_at IS NOT NULL, "
                    "next_attempt_at IS NULL FROM outbox_emails ORDER BY id"
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            ("Sent", "sent", 1, True, True),
            ("Waiting", "queued", 0, False, True),
        ]

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM outbox_emails")).scalar() == 2
