"""Issue 24's migration adds closing accounts, erased organisations and copies of information
without changing any existing row: every account stays open and every organisation's records
kept; undone, the columns and table go again. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    empty_database_app,
    keep_logging,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
]

BEFORE = "fd7459915a1d"
PRIVACY = "5e2b9c71d4a8"


@pytest.mark.usefixtures("empty_database_app")
def test_existing_accounts_stay_open_and_records_kept():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, email, full_name, password_hash, role, created_at,"
                " password_changed_at) VALUES (1, 'a@example.com', 'Ann Example', 'x',"
                " 'member', '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO organisations (id, slug, name, organisation_type, size, sector,"
                " address_line_1, town, postcode, district, identifier_scheme, status,"
                " version_id, status_changed_at, created_at) VALUES (1, 'left', 'Left Ltd',"
                " 'business', 'small', 'Construction', '1 High St', 'Shrewsbury', 'SY1 1AA',"
                " 'Shrewsbury', 'GB-COH', 'withdrawn', 1, '2019-01-01', '2018-01-01')"
            )
        )
    upgrade(revision=PRIVACY)
    with db.engine.connect() as connection:
        assert connection.execute(
            text("SELECT full_name, email, closed_at, closed_by_id FROM users")
        ).one() == ("Ann Example", "a@example.com", None, None)
        assert connection.execute(
            text("SELECT name, records_erased_at FROM organisations")
        ).one() == ("Left Ltd", None)
        assert connection.execute(text("SELECT count(*) FROM data_exports")).scalar() == 0
    downgrade(revision=BEFORE)
    inspector = inspect(db.engine)
    assert "data_exports" not in inspector.get_table_names()
    assert "closed_at" not in {c["name"] for c in inspector.get_columns("users")}
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT full_name FROM users")).scalar() == "Ann Example"
