"""The migration of the poll's run counts (a4d2f6c8e913, issue 22): four nullable columns on
notice_polls; a poll row made before keeps its mark, walk and error, its counts empty (the
page says it has not run since). Down again, the columns go and the row stays. SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

BEFORE = "c5e1a9d3f702"
COUNTS = "a4d2f6c8e913"
POLL = (
    "INSERT INTO notice_polls (id, source, updated_from, window_to, next_url, last_run_at,"
    " last_error) VALUES (1, 'find-a-tender/award', '2026-12-05T12:00:00', '2026-12-06T12:00:00',"
    " 'https://api.example/p?cursor=2', :now, 'page 2 answered 503')"
)
COLUMNS = {"last_run_pages", "last_run_releases", "last_run_kept", "last_run_new_releases"}

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def _row() -> tuple:
    with db.engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT source, updated_from, window_to, next_url, last_error FROM notice_polls"
                )
            ).one()
        )


@pytest.mark.usefixtures("empty_database_app")
def test_a_poll_row_keeps_its_walk_and_gains_empty_counts():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(text(POLL), {"now": datetime(2026, 12, 6, 12)})
    before = _row()

    upgrade(revision=COUNTS)

    assert _row() == before
    with db.engine.begin() as connection:
        counts = connection.execute(text(f"SELECT {', '.join(sorted(COLUMNS))} FROM notice_polls"))
        assert tuple(counts.one()) == (None, None, None, None)
        connection.execute(text("UPDATE notice_polls SET last_run_pages = 2, last_run_kept = 7"))

    downgrade(revision=BEFORE)
    names = {c["name"] for c in inspect(db.engine).get_columns("notice_polls")}
    assert not names & COLUMNS
    assert _row() == before

    upgrade(revision=COUNTS)  # and up again
    assert {c["name"] for c in inspect(db.engine).get_columns("notice_polls")} >= COLUMNS
