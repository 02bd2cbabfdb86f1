"""The migration that moves the lifecycle status to the signing (d4a7e2c9b815), on the demo's
data: down to before it, every organisation has its signing's status back on its own row (and an
organisation with no signing is "registered"); up again, every signing has the status, the
state before a suspension and the date its organisation had, and the indexes the register and
the reviews read exist. SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    demo_at_head,
    empty_database_app,
    keep_logging,
)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "b81f4c2d9e07"
# The revision before a signing had two lifecycles (e7b3c1f5a2d8): the one state this
# migration moved, to compare with.
ONE_STATE = importlib.import_module("migrations.versions.e7b3c1f5a2d8_two_lifecycles").down_revision
MOVED = ("status", "status_before_suspension", "status_changed_at")
UNSIGNED = (
    "INSERT INTO organisations (slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at) VALUES ('unsigned', 'Unsigned', 'business', 'small', 'Construction',"
    " '1 High St', 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'none', 'registered', 1, :now, :now)"
)
CATALOGUE = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
    "postgresql": "SELECT indexname FROM pg_indexes",
}


def _when(value) -> datetime | None:
    """A timestamp read with raw SQL: SQLite gives text, PostgreSQL a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _statuses(connection, table: str, key: str) -> dict[int, tuple]:
    rows = connection.execute(text(f"SELECT {key}, {', '.join(MOVED)} FROM {table}")).all()
    return {row[0]: (row[1], row[2], _when(row[3])) for row in rows}


@pytest.mark.usefixtures("empty_database_app")
def test_each_signing_takes_its_organisation_s_lifecycle_and_gives_it_back(tmp_path):
    demo_at_head(tmp_path)
    downgrade(revision=ONE_STATE)
    with db.engine.connect() as connection:
        at_head = _statuses(connection, "signings", "organisation_id")
    states = {status for status, _, _ in at_head.values()}
    # The demo's organisations are in many states, one of them suspended with its state before.
    assert len(states) >= 6 and "suspended" in states, states
    assert any(before for _, before, _ in at_head.values())

    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        assert not {c["name"] for c in inspect(connection).get_columns("signings")} & set(MOVED)
        assert _statuses(connection, "organisations", "id") == at_head
        connection.execute(text(UNSIGNED), {"now": datetime(2026, 1, 1)})

    upgrade(revision=ONE_STATE)
    with db.engine.connect() as connection:
        left = {c["name"] for c in inspect(connection).get_columns("organisations")}
        assert not left & set(MOVED)
        assert _statuses(connection, "signings", "organisation_id") == at_head
        names = set(connection.execute(text(CATALOGUE[connection.dialect.name])).scalars())
    assert {
        "ix_signings_register_entry",
        "ix_signings_charter_status",
        "ix_organisations_register_order",
        "ix_organisations_district_order",
        "ix_organisations_sector_order",
        "ix_organisations_type_order",
    } <= names
