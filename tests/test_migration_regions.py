"""The migration of charters' regions and the impact rows' scope (c3a8e1f5d726): every charter
keeps its words, in no region until its file or a service administrator says; the summary rows
of no one charter were every charter's and become scope "all", a charter's own rows scope "".
Down again, a region's rows (which would read as every charter's) go and the rest stay as they
were. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "d4e7a2c9b153"
REGIONS = "c3a8e1f5d726"
SUMMARY = ("impact_cells", "impact_comparisons", "impact_lifecycle_counts", "impact_builds")
CELL = "charter_id, period_key, measure_code, dimension, dimension_value, total, organisations"


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def _seed(connection) -> None:
    connection.execute(
        text(
            "INSERT INTO charters (id, slug, name, service_name, running_body, area, "
            "description, created_at) VALUES (1, 'shropshire', 'Charter', 'Service', 'Body', "
            "'Shropshire', 'About', '2026-01-01 00:00:00')"
        )
    )
    for charter_id in (1, None):
        connection.execute(
            text(
                f"INSERT INTO impact_cells ({CELL}, complementary, published_organisations, "
                "published_total) VALUES (:c, '2026-27', 'NT10', 'all', '', 60, 3, false, 0, 0)"
            ),
            {"c": charter_id},
        )
        connection.execute(
            text(
                "INSERT INTO impact_comparisons (charter_id, period_key, measure_code, total, "
                "previous_total, organisations) VALUES (:c, '2026-27', 'NT10', 60, 50, 3)"
            ),
            {"c": charter_id},
        )
        connection.execute(
            text(
                "INSERT INTO impact_lifecycle_counts (charter_id, period_key, event, count) "
                "VALUES (:c, '2026-Q2', 'sign', 4)"
            ),
            {"c": charter_id},
        )
        connection.execute(
            text(
                "INSERT INTO impact_builds (charter_id, built_at, cells, seconds) "
                "VALUES (:c, '2026-12-06 02:00:00', 1, 0.5)"
            ),
            {"c": charter_id},
        )


def _scopes(table: str) -> list[tuple]:
    with db.engine.connect() as connection:
        return sorted(
            connection.execute(text(f"SELECT charter_id, scope FROM {table}")).all(),
            key=lambda row: (row[0] is None, row[1]),
        )


def _cells() -> list[tuple]:
    with db.engine.connect() as connection:
        return sorted(
            connection.execute(text(f"SELECT {CELL} FROM impact_cells")).all(),
            key=lambda row: row[0] or 0,
        )


@pytest.mark.usefixtures("empty_database_app")
def test_rows_of_no_charter_become_every_charter_s_and_a_region_s_go_down_again():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)
    before = _cells()

    upgrade(revision=REGIONS)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT slug, region FROM charters")).all() == [
            ("shropshire", None)
        ]
    for table in SUMMARY:
        assert _scopes(table) == [(1, ""), (None, "all")], table
    assert _cells() == before
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE charters SET region = 'west-midlands'"))
        connection.execute(
            text(
                f"INSERT INTO impact_cells ({CELL}, scope, complementary, published_organisations, "
                "published_total) VALUES (NULL, '2026-27', 'NT10', 'all', '', 60, 3, "
                "'region:west-midlands', false, 0, 0)"
            )
        )

    downgrade(revision=BEFORE)
    for table in SUMMARY:
        assert "scope" not in _columns(table)
    assert "region" not in _columns("charters")
    assert _cells() == before  # the region's row went, every other row stayed

    upgrade(revision=REGIONS)  # and up again
    assert _scopes("impact_cells") == [(1, ""), (None, "all")]
