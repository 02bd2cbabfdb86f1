"""The migration of register entries: every existing organisation counts as checked (its entry
stays published), schemes publish new signatories after a check, and it can be undone. SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_certificates import SCHEME

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]

BEFORE = "73c8e9bcf287"
REGISTER_ENTRIES = "84d756153b99"
ORGANISATION = (
    "INSERT INTO organisations (id, slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at) VALUES (:id, :slug, :slug, 'business', 'small', 'Construction',"
    " '1 High St', 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH', :status, 1, :now, :now)"
)


@pytest.mark.usefixtures("empty_database_app")
def test_existing_signatories_count_as_checked():
    upgrade(revision=BEFORE)
    now = datetime(2026, 1, 1)
    with db.engine.begin() as connection:
        connection.execute(
            text(SCHEME), {"id": 1, "slug": "a-charter", "yes": True, "no": False, "now": now}
        )
        for n, status in enumerate(("signatory", "accredited", "registered", "withdrawn"), 1):
            connection.execute(
                text(ORGANISATION), {"id": n, "slug": f"org-{n}", "status": status, "now": now}
            )

    upgrade(revision=REGISTER_ENTRIES)

    with db.engine.connect() as connection:
        entries = connection.execute(
            text("SELECT id, register_entry, register_hidden_reason FROM organisations ORDER BY id")
        ).all()
        setting = connection.execute(text("SELECT publish_new_signatories FROM schemes")).scalar()
    assert [tuple(row) for row in entries] == [(n, "published", None) for n in range(1, 5)]
    assert setting == "after_check"

    downgrade(revision=BEFORE)
    columns = {column["name"] for column in inspect(db.engine).get_columns("organisations")}
    assert "register_entry" not in columns
