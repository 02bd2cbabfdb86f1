"""The migration of the social value record after award (72a4c514ce93, issue 21): existing
contracts keep every value and have no weighting at award recorded (it is set when a contract is
next recorded or its value changes); existing commitments are neither substituted nor
alternatives; the alternatives and service credits tables start empty. Down again, the columns
and tables go, and the contracts and commitments stay. SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_plausibility import BEFORE as SEEDED_AT
from tests.test_migration_plausibility import _seed

BEFORE = "b8d3f6a2c417"
SOCIAL_VALUE = "72a4c514ce93"

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.mark.usefixtures("empty_database_app")
def test_existing_contracts_and_commitments_are_kept_with_nothing_recorded_after_award():
    upgrade(revision=SEEDED_AT)
    with db.engine.begin() as connection:
        _seed(connection)  # a contract of £36,500 with figures
        connection.execute(
            text(
                "INSERT INTO contract_commitments (id, contract_id, measure_id, target_value)"
                " VALUES (1, 1, 1, 12000.50)"
            )
        )
    upgrade(revision=BEFORE)

    upgrade(revision=SOCIAL_VALUE)

    with db.engine.connect() as connection:
        contract = connection.execute(
            text("SELECT value, award_weighting, award_weighting_charter_id FROM contracts")
        ).one()
        commitment = connection.execute(
            text("SELECT target_value, substituted_at, replaces_id FROM contract_commitments")
        ).one()
        empty = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("commitment_alternatives", "service_credits")
        ]
    assert (Decimal(contract[0]), contract[1], contract[2]) == (Decimal("36500"), None, None)
    assert (Decimal(commitment[0]), commitment[1], commitment[2]) == (
        Decimal("12000.50"), None, None
    )  # fmt: skip
    assert empty == [0, 0]

    downgrade(revision=BEFORE)
    assert not {"award_weighting", "award_weighting_charter_id"} & _columns("contracts")
    assert not {"substituted_at", "replaces_id"} & _columns("contract_commitments")
    assert not {"commitment_alternatives", "service_credits"} & set(
        inspect(db.engine).get_table_names()
    )
    with db.engine.connect() as connection:
        kept = connection.execute(
            text(
                "SELECT c.value, cc.target_value FROM contracts c"
                " JOIN contract_commitments cc ON cc.contract_id = c.id"
            )
        ).one()
    assert (Decimal(kept[0]), Decimal(kept[1])) == (Decimal("36500"), Decimal("12000.50"))

    upgrade(revision=SOCIAL_VALUE)  # and up again
