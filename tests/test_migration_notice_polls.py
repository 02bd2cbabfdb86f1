"""The migration of the Find a Tender poll's state (c5e1a9d3f702, issue 22): a new table,
notice_polls, empty, with one row per source and stage; the imports already made are kept. Down
again, the table goes and the imports stay. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

BEFORE = "72a4c514ce93"
POLLS = "c5e1a9d3f702"
IMPORT = (
    "INSERT INTO notice_imports (id, source, sha256, release_count, new_release_count,"
    " actor_label, created_at) VALUES (1, 'https://example.org/p.json', :sha, 3, 3,"
    " 'scheduled notices poll', :now)"
)
POLL = (
    "INSERT INTO notice_polls (source, updated_from, window_to, next_url)"
    " VALUES ('find-a-tender/award', '2026-12-05T12:00:00', NULL, NULL)"
)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def _imports() -> list[tuple]:
    with db.engine.connect() as connection:
        return list(connection.execute(text("SELECT id, source FROM notice_imports")))


@pytest.mark.usefixtures("empty_database_app")
def test_the_poll_table_starts_empty_and_the_imports_are_kept():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(text(IMPORT), {"sha": "a" * 64, "now": datetime(2026, 12, 1)})

    upgrade(revision=POLLS)

    assert _imports() == [(1, "https://example.org/p.json")]
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM notice_polls")).scalar() == 0
        connection.execute(text(POLL))
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(text(POLL))  # one row per source and stage

    downgrade(revision=BEFORE)
    assert "notice_polls" not in inspect(db.engine).get_table_names()
    assert _imports() == [(1, "https://example.org/p.json")]

    upgrade(revision=POLLS)  # and up again
