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
]

BEFORE = "da50753536a3"
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

        # Organisation 2's Mark expired while its renewal was assessed: no expire_mark row.
        # Organisation 1's expiry was recorded by the lifecycle.
        for org_id in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO applications (id, organisation_id, scheme_id, is_renewal, status,"
                    " submitted_at, snapshot, version_id) VALUES (:id, :id, 1, :no, 'awarded',"
                    " :now, '{}', 1)"
                ),
                {"id": org_id, "no": False, "now": now},
            )
            connection.execute(
                text(
                    "INSERT INTO charter_marks (organisation_id, application_id, scheme_id,"
                    " certificate_number, awarded_on, expires_on, status, status_changed_at)"
                    " VALUES (:id, :id, 1, :number, '2024-01-02', '2026-01-02', 'expired',"
                    " :changed)"
                ),
                {"id": org_id, "number": f"CM-2222222{org_id}", "changed": datetime(2026, 1, 3, 2)},
            )
        connection.execute(
            text(
                "INSERT INTO audit_events (organisation_id, actor_label, trigger, from_state,"
                " to_state, created_at) VALUES (1, 'Scheduled review', 'expire_mark',"
                " 'renewal_due', 'monitoring', :when)"
            ),
            {"when": datetime(2026, 1, 3, 2)},
        )

    upgrade(revision=REGISTER_ENTRIES)

    with db.engine.connect() as connection:
        entries = connection.execute(
            text("SELECT id, register_entry, register_hidden_reason FROM organisations ORDER BY id")
        ).all()
        setting = connection.execute(text("SELECT publish_new_signatories FROM schemes")).scalar()
    assert [tuple(row) for row in entries] == [(n, "published", None) for n in range(1, 5)]
    assert setting == "after_check"
    with db.engine.connect() as connection:
        expiries = connection.execute(
            text(
                "SELECT organisation_id, from_state, to_state, created_at FROM audit_events"
                " WHERE trigger = 'expire_mark' ORDER BY organisation_id"
            )
        ).all()
    assert [tuple(row)[:3] for row in expiries] == [
        (1, "renewal_due", "monitoring"),
        (2, "accredited", "accredited"),
    ]
    assert str(expiries[1][3]).startswith("2026-01-03 02:00")

    downgrade(revision=BEFORE)
    columns = {column["name"] for column in inspect(db.engine).get_columns("organisations")}
    assert "register_entry" not in columns
