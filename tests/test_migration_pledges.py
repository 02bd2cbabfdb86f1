"""The migration of pledges and value kinds (b8d3f6a2c417): commitments gain a pledge's numbers
and reporting frequency, and their target becomes optional (a pledge's numbers are its own);
return lines and per-contract figures gain a pair's second figure, lines an achievement's yes or
no and date. Existing commitments, lines and figures keep what they hold, the new columns
empty. Down again the columns go and the data stays, but not while a commitment without a
target exists: the downgrade refuses rather than invent one. SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_plausibility import BEFORE as SEEDED_AT
from tests.test_migration_plausibility import _seed

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "a3c8e5f1d270"
PLEDGES = "b8d3f6a2c417"
COMMITMENT = (
    "INSERT INTO contract_commitments (id, contract_id, measure_id, target_value, notes)"
    " VALUES (1, 1, 1, 50000, 'Section 4')"
)


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.mark.usefixtures("empty_database_app")
def test_existing_rows_keep_their_figures_and_targets_and_the_new_columns_are_empty():
    upgrade(revision=SEEDED_AT)
    with db.engine.begin() as connection:
        _seed(connection)
        connection.execute(text(COMMITMENT))
    upgrade(revision=BEFORE)

    upgrade(revision=PLEDGES)

    with db.engine.connect() as connection:
        commitment = connection.execute(
            text("SELECT target_value, notes, pledge_numbers, frequency FROM contract_commitments")
        ).one()
        lines = connection.execute(
            text(
                "SELECT id, actual_value, second_value, achieved, achieved_on FROM return_lines"
                " ORDER BY id"
            )
        ).all()
        figures = connection.execute(
            text("SELECT value, second_value FROM contract_figures ORDER BY id")
        ).all()
    assert (float(commitment[0]), commitment[1], commitment[2], commitment[3]) == (
        50000,
        "Section 4",
        None,
        None,
    )
    assert [(i, float(v), s, a, d) for i, v, s, a, d in lines] == [
        (1, 999999999999.0, None, None, None),
        (2, 60.0, None, None, None),
        (3, 9000.0, None, None, None),
    ]
    assert sorted(float(v) for v, _s in figures) == [60.0, 9000.0, 999999999999.0]
    assert {s for _v, s in figures} == {None}

    # A pledge: no target, its numbers and frequency; a pair's second figure; an achievement.
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO contract_commitments (id, contract_id, measure_id, target_value,"
                " pledge_numbers, frequency) VALUES (2, 1, 2, NULL, :numbers, 'quarterly')"
            ),
            {"numbers": json.dumps(["4"])},
        )
        connection.execute(
            text("UPDATE return_lines SET second_value = 12.5, achieved = :yes WHERE id = 2"),
            {"yes": True},
        )
    with pytest.raises(SystemExit):  # Flask-Migrate logs the RuntimeError's message and exits
        downgrade(revision=BEFORE)
    assert "pledge_numbers" in _columns("contract_commitments")  # nothing was undone
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM contract_commitments WHERE id = 2"))

    downgrade(revision=BEFORE)
    assert not {"pledge_numbers", "frequency"} & _columns("contract_commitments")
    assert not {"second_value", "achieved", "achieved_on"} & _columns("return_lines")
    assert "second_value" not in _columns("contract_figures")
    nullable = {
        c["name"]: c["nullable"] for c in inspect(db.engine).get_columns("contract_commitments")
    }
    assert nullable["target_value"] is False
    with db.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT target_value, notes FROM contract_commitments")
        ).one()
        values = connection.execute(text("SELECT actual_value FROM return_lines ORDER BY id"))
        assert [float(v) for (v,) in values] == [999999999999.0, 60.0, 9000.0]
    assert (float(kept[0]), kept[1]) == (50000, "Section 4")

    upgrade(revision=PLEDGES)  # and up again
