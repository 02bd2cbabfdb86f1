"""The migration that gives the impact summary rows their charter and each lifecycle event its
signing (a9c3e5f7b1d2), on the demo's data with three charters: down to before it, the default
charter's rows are what is left and no event names a signing; up again, those rows are the
default charter's and every event names its organisation's first signing. SQLite and
PostgreSQL."""

from __future__ import annotations

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

BEFORE = "7e4b1d6a9c52"
CELL = "period_key, measure_code, dimension, dimension_value, total, organisations"
SUMMARY = ("impact_cells", "impact_comparisons", "impact_lifecycle_counts", "impact_builds")


def _columns(connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns(table)}


@pytest.mark.usefixtures("empty_database_app")
def test_summary_rows_take_their_charter_and_events_their_signing(tmp_path):
    demo_at_head(tmp_path, ("worcestershire.toml", "cheshire-west-and-chester.toml"))
    with db.engine.connect() as connection:
        default = connection.execute(text("SELECT min(id) FROM charters")).scalar()
        charters = set(connection.execute(text("SELECT DISTINCT charter_id FROM impact_builds")))
        default_cells = sorted(
            connection.execute(
                text(f"SELECT {CELL} FROM impact_cells WHERE charter_id = :c"), {"c": default}
            ).all()
        )
        unsigned_events = connection.execute(
            text("SELECT count(*) FROM audit_events WHERE signing_id IS NULL")
        ).scalar()
    # Every charter was built, and every charter's together (no charter); the demo's figures
    # reach the default charter's page.
    assert len(charters) == 4 and (None,) in charters and default_cells
    assert unsigned_events == 0

    # The demo's Worcestershire pledges have no target: the pledges migration (b8d3f6a2c417)
    # refuses to go below it while they exist, as it should; they are not what this tests.
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM contract_commitments WHERE target_value IS NULL"))
    downgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        for table in SUMMARY:
            assert "charter_id" not in _columns(connection, table)
        assert "signing_id" not in _columns(connection, "audit_events")
        left = sorted(connection.execute(text(f"SELECT {CELL} FROM impact_cells")).all())
        assert left == default_cells

    upgrade()
    with db.engine.connect() as connection:
        assert set(connection.execute(text("SELECT DISTINCT charter_id FROM impact_cells"))) == {
            (default,)
        }
        again = sorted(connection.execute(text(f"SELECT {CELL} FROM impact_cells")).all())
        assert again == default_cells
        mismatched = connection.execute(
            text(
                "SELECT count(*) FROM audit_events WHERE signing_id IS DISTINCT FROM "
                "(SELECT min(s.id) FROM signings s WHERE s.organisation_id = "
                "audit_events.organisation_id)"
            )
        ).scalar()
        assert mismatched == 0
