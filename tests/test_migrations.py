"""The migrations build exactly the schema the models describe, from an empty database, and
can be undone."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    empty_database_app,
    keep_logging,
)

# The Flask-Migrate env.py template asks for the engine the old way first.
# SQLite cannot reflect expression indexes (the register's lower(name) order), so there they are
# left out of the comparison; PostgreSQL compares them.
pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based"),
]


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _index_names() -> set[str]:
    """Every index the database holds, from its own catalogue: SQLAlchemy cannot reflect
    SQLite's expression indexes, and a table rebuilt by a batch migration there loses them."""
    catalogue = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'",
    }[db.engine.dialect.name]
    with db.engine.connect() as connection:
        return set(connection.execute(text(catalogue)).scalars())


def _model_index_names() -> set[str]:
    return {
        index.name
        for table in db.metadata.tables.values()
        for index in table.indexes
        if index.dialect_options["postgresql"].get("using") != "gin"
        or db.engine.dialect.name == "postgresql"
    }


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


@pytest.mark.usefixtures("empty_database_app")
def test_migrations_build_the_schema_the_models_describe():
    assert _tables() == set()

    upgrade()

    assert _tables() == set(db.metadata.tables)
    assert _differences() == []
    assert _model_index_names() - _index_names() == set()


@pytest.mark.usefixtures("empty_database_app")
def test_migrations_downgrade_to_nothing_and_upgrade_again():
    upgrade()
    downgrade(revision="base")

    assert _tables() == set()

    upgrade()

    assert _differences() == []
    assert _model_index_names() - _index_names() == set()


# --- data migration: existing figures become "not on a listed contract" ------------------------

BEFORE_CONTRACT_MONITORING = "28e13219c38e"


def _insert_return_before_contract_monitoring(connection) -> None:
    """A scheme with LE1 (GBP) and LE8 (percent), an organisation and a verified return, in the
    schema as it was before per-contract figures."""
    run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
    run(
        "INSERT INTO schemes (id, slug, version, name, area, summary, is_current, content_hash,"
        " loaded_at, districts, sectors, monitoring_period_months, return_due_days,"
        " reminder_days_before_due, grace_period_days, min_verified_returns, award_all_core_met,"
        " award_min_share_met, validity_months, renewal_window_days, reapply_wait_days,"
        " appeal_window_days, moderation_required) VALUES (1, 'supporting-the-local-economy', 1,"
        " 'Supporting the local economy', 'Shropshire', 'A scheme', :yes, 'x', :now, '[]', '[]',"
        " 3, 30, 7, 60, 2, :yes, 75, 24, 90, 90, 28, :no)",
        yes=True,
        no=False,
        now=datetime(2026, 1, 1),
    )
    for measure_id, code, unit in ((1, "LE1", "GBP"), (2, "LE8", "percent")):
        run(
            "INSERT INTO measures (id, scheme_id, code, title, unit, is_core, evidence_guidance,"
            " position) VALUES (:id, 1, :code, :code, :unit, :yes, 'Evidence', :id)",
            id=measure_id,
            code=code,
            unit=unit,
            yes=True,
        )
    run(
        "INSERT INTO organisations (id, slug, name, organisation_type, size, sector,"
        " address_line_1, town, postcode, district, identifier_scheme, status, version_id,"
        " status_changed_at, created_at) VALUES (1, 'severn', 'Severn Ltd', 'business', 'small',"
        " 'Construction', '1 High St', 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH',"
        " 'monitoring', 1, :now, :now)",
        now=datetime(2026, 1, 1),
    )
    run(
        "INSERT INTO monitoring_returns (id, organisation_id, period_start, period_end, due_date,"
        " status, is_retrospective, is_late, created_at, version_id) VALUES (1, 1, :start, :end,"
        " :due, 'verified', :no, :no, :now, 1)",
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        due=date(2026, 4, 30),
        no=False,
        now=datetime(2026, 4, 2),
    )
    for line_id, measure_id, value in ((1, 1, "163156.50"), (2, 2, "85.00")):
        run(
            "INSERT INTO return_lines (id, return_id, measure_id, actual_value, review_status)"
            f" VALUES (:id, 1, :measure, {value}, 'accepted')",
            id=line_id,
            measure=measure_id,
        )


def _number(value) -> Decimal:
    """A NUMERIC read back raw: a Decimal on PostgreSQL, a float on SQLite."""
    return Decimal(str(value)).normalize()


@pytest.mark.usefixtures("empty_database_app")
def test_existing_figures_become_not_on_a_listed_contract_and_totals_are_unchanged():
    upgrade(revision=BEFORE_CONTRACT_MONITORING)
    with db.engine.begin() as connection:
        _insert_return_before_contract_monitoring(connection)

    upgrade()

    with db.engine.connect() as connection:
        reporting = dict(connection.execute(text("SELECT code, reporting FROM measures")).all())
        figures = connection.execute(
            text(
                "SELECT return_line_id, contract_id, value, endorsement_status"
                " FROM contract_figures ORDER BY id"
            )
        ).all()
        totals = dict(connection.execute(text("SELECT id, actual_value FROM return_lines")).all())
    assert reporting == {"LE1": "per_contract", "LE8": "organisation"}
    # LE1's figure is now its line's one figure, not on a listed contract; LE8 has none.
    assert [(r[0], r[1], _number(r[2]), r[3]) for r in figures] == [
        (1, None, Decimal("163156.5"), "not_endorsed")
    ]
    assert {k: _number(v) for k, v in totals.items()} == {1: Decimal("163156.5"), 2: Decimal(85)}
