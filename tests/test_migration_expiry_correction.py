"""The data migration of issue 8: organisations an expiry put in ``lapsed`` go back to
``monitoring`` with an audit row saying it was a correction; anyone lapsed for a missed duty,
or lapsed and since moved on, is left alone. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "95882bf9ecb7"
CORRECTION = "8941a2a92761"

ORGANISATION = (
    "INSERT INTO organisations (id, slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at) VALUES (:id, :slug, :slug, 'business', 'small', 'Construction', '1 High St',"
    " 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH', :status, 1, :at, :at)"
)
EVENT = (
    "INSERT INTO audit_events (organisation_id, actor_label, trigger, from_state, to_state,"
    " created_at) VALUES (:org, 'Scheduled review', :trigger, :from_state, :to_state, :at)"
)


def _seed(connection) -> None:
    rows = [
        (1, "expired-into-lapsed", "lapsed", [("expire_mark", "renewal_due", "lapsed")]),
        (2, "lapsed-for-a-return", "lapsed", [("lapse", "monitoring", "lapsed")]),
        (
            3,
            "expired-then-signed-again",
            "signatory",
            [("expire_mark", "renewal_due", "lapsed"), ("sign", "lapsed", "signatory")],
        ),
        (
            4,
            "expired-then-lapsed-again",
            "lapsed",
            [
                ("expire_mark", "renewal_due", "lapsed"),
                ("sign", "lapsed", "signatory"),
                ("lapse", "signatory", "lapsed"),
            ],
        ),
    ]
    for org_id, slug, status, events in rows:
        connection.execute(
            text(ORGANISATION), {"id": org_id, "slug": slug, "status": status, "at": "2026-01-01"}
        )
        for day, (trigger, from_state, to_state) in enumerate(events, start=2):
            connection.execute(
                text(EVENT),
                {
                    "org": org_id,
                    "trigger": trigger,
                    "from_state": from_state,
                    "to_state": to_state,
                    "at": f"2026-01-{day:02d} 10:00:00",
                },
            )


@pytest.mark.usefixtures("empty_database_app")
def test_expired_organisations_return_to_monitoring_audited_as_a_correction():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)

    upgrade(revision=CORRECTION)

    with db.engine.connect() as connection:
        statuses = dict(connection.execute(text("SELECT slug, status FROM organisations")).all())
        corrections = connection.execute(
            text(
                "SELECT organisation_id, from_state, to_state, actor_label, reason "
                "FROM audit_events WHERE trigger = 'correct_expiry'"
            )
        ).all()
        version = connection.execute(text("SELECT version_id FROM organisations WHERE id = 1"))
        assert version.scalar() == 2
    assert statuses == {
        "expired-into-lapsed": "monitoring",
        "lapsed-for-a-return": "lapsed",
        "expired-then-signed-again": "signatory",
        "expired-then-lapsed-again": "lapsed",
    }
    [(org_id, from_state, to_state, actor, reason)] = corrections
    assert (org_id, from_state, to_state, actor) == (1, "lapsed", "monitoring", "Data correction")
    assert reason.startswith("Correction:")
