"""The migration of the disclosure work: schemes gain a protection level (20%), the
like-for-like table appears, and every impact summary row is withheld from the public until the
next rebuild sets the flags by the new rules; cells gain the part from publishing
organisations. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
]

BEFORE = "5be71c0d94fa"
DISCLOSURE = "da50753536a3"
SCHEME = (
    "INSERT INTO schemes (id, slug, version, name, area, summary, is_current, content_hash,"
    " loaded_at, districts, sectors, monitoring_period_months, return_due_days,"
    " reminder_days_before_due, grace_period_days, min_verified_returns, award_all_core_met,"
    " award_min_share_met, validity_months, renewal_window_days, reapply_wait_days,"
    " appeal_window_days, moderation_required) VALUES (1, 'a-scheme', 1, 'A scheme',"
    " 'Shropshire', 'A scheme', :yes, 'x', :now, '[]', '[]', 3, 30, 7, 60, 2, :yes, 75, 24, 90,"
    " 90, 28, :no)"
)
CELL = (
    "INSERT INTO impact_cells (period_key, measure_code, dimension, dimension_value, total,"
    " organisations, monetised, complementary) VALUES (:period, 'LE1', 'all', '', 100, :count,"
    " NULL, :no)"
)


@pytest.mark.usefixtures("empty_database_app")
def test_protection_level_comparisons_and_cells_withheld_until_rebuilt():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(text(SCHEME), {"yes": True, "no": False, "now": datetime(2026, 1, 1)})
        for period, count in (("2026-Q1", 5), ("2026-Q2", 2)):
            connection.execute(text(CELL), {"period": period, "count": count, "no": False})

    upgrade(revision=DISCLOSURE)

    with db.engine.connect() as connection:
        percent = connection.scalar(text("SELECT disclosure_protection_percent FROM schemes"))
        cells = connection.execute(
            text("SELECT complementary, published_organisations, published_total FROM impact_cells")
        ).all()
        assert percent == 20
        assert [(bool(flag), count, float(total)) for flag, count, total in cells] == [
            (True, 0, 0.0),
            (True, 0, 0.0),
        ]
    assert "impact_comparisons" in inspect(db.engine).get_table_names()

    downgrade(revision=BEFORE)

    assert "impact_comparisons" not in inspect(db.engine).get_table_names()
    columns = {c["name"] for c in inspect(db.engine).get_columns("schemes")}
    assert "disclosure_protection_percent" not in columns
    columns = {c["name"] for c in inspect(db.engine).get_columns("impact_cells")}
    assert "published_organisations" not in columns
