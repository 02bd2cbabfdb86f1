"""The migration of a line's covered period (d4e7a2c9b153): a return line gains the first day
of the period its figure covers, for a pledge reported once a year in the return of the year's
last quarter. Existing lines keep every figure and cover their return's period (the column
empty); down again the column goes and the figures stay. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_plausibility import BEFORE as SEEDED_AT
from tests.test_migration_plausibility import _seed

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "a4d2f6c8e913"
COVERAGE = "d4e7a2c9b153"


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def _values() -> list[float]:
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT actual_value FROM return_lines ORDER BY id"))
        return [float(v) for (v,) in rows]


@pytest.mark.usefixtures("empty_database_app")
def test_existing_lines_keep_their_figures_and_cover_their_returns_period():
    upgrade(revision=SEEDED_AT)
    with db.engine.begin() as connection:
        _seed(connection)
    upgrade(revision=BEFORE)
    before = _values()
    assert before  # the seed has lines

    upgrade(revision=COVERAGE)

    assert _values() == before
    with db.engine.connect() as connection:
        covers = connection.execute(text("SELECT covers_start FROM return_lines")).scalars().all()
    assert set(covers) == {None}
    # A line covering a year ends with its return (a quarter).
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE return_lines SET covers_start = :start WHERE id = 1"),
            {"start": date(2026, 1, 1)},
        )
    with db.engine.connect() as connection:
        start = connection.execute(
            text("SELECT covers_start FROM return_lines WHERE id = 1")
        ).scalar_one()
    assert str(start)[:10] == "2026-01-01"

    downgrade(revision=BEFORE)
    assert "covers_start" not in _columns("return_lines")
    assert _values() == before

    upgrade(revision=COVERAGE)  # and up again
    assert "covers_start" in _columns("return_lines")
