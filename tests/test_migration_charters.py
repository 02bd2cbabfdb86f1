"""The migration that makes a charter data: on a service with data in every table, the scheme
versions become Shropshire's charter's, nothing else changes, and it comes back down and up
again; without schemes no charter is invented. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    demo_at_head,
    empty_database_app,
    keep_logging,
)
from tests.test_migration_certificates import SCHEME

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    # Reflecting every table to fill and count it (SQLite's expression indexes are skipped).
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]

BEFORE = "b3f1c9e2d417"
CHARTERS = "4038404a58b1"
SHROPSHIRE = (
    "shropshire",
    "Social Value Charter for Shropshire",
    "Social Value Charter Mark",
    "Social Value Group",
    "representatives from the Local Authority, Health, Police & Crime Commissioner's Office, "
    "Housing and the Voluntary & Community Sector",
    "Shropshire",
    None,
    None,
)
CHARTER_COLUMNS = (
    "slug, name, service_name, running_body, running_body_members, area, contact_email, website"
)


def _value(column: sa.Column, metadata: sa.MetaData, connection):
    """A value ``column`` accepts: the smallest id of the table a foreign key points at, else a
    plain value of its type."""
    for key in column.foreign_keys:
        target = metadata.tables[key.column.table.name]
        return connection.execute(sa.select(sa.func.min(target.c[key.column.name]))).scalar()
    kind = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
    return {
        int: 1,
        str: "x",
        bool: False,
        datetime: datetime(2026, 1, 1),
        date: date(2026, 1, 1),
        Decimal: Decimal(0),
        dict: {},
        bytes: b"x",
    }[kind]


# Rows the plain values cannot make: an invitation names exactly one target (its CHECK).
OVERRIDES = {"invitations": {"kind": "member", "commissioner_id": None}}


def _fill_empty_tables(connection) -> None:
    """One row in every table the demo leaves empty, so the migration runs over data in all."""
    metadata = sa.MetaData()
    metadata.reflect(bind=connection)
    for table in metadata.sorted_tables:
        if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            continue
        row = {
            column.name: _value(column, metadata, connection)
            for column in table.columns
            if not column.nullable or column.foreign_keys
            if not (column.primary_key and column.autoincrement in (True, "auto"))
            or column.foreign_keys
        }
        row.update(OVERRIDES.get(table.name, {}))
        connection.execute(table.insert(), [row])


def _counts(connection) -> dict[str, int]:
    names = inspect(connection).get_table_names()
    return {
        name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
        for name in names
        if name != "alembic_version"
    }


@pytest.mark.usefixtures("empty_database_app")
def test_every_scheme_becomes_shropshires_and_no_other_row_changes(tmp_path):
    runner = demo_at_head(tmp_path).test_cli_runner()
    with db.engine.begin() as connection:
        _fill_empty_tables(connection)
        counts = _counts(connection)
    assert all(counts.values()), [name for name, count in counts.items() if not count]

    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert "charters" not in inspect(connection).get_table_names()
        columns = {column["name"] for column in inspect(connection).get_columns("schemes")}
        assert "charter_id" not in columns
        # The tables made after charters (staff roles, signings, and later ones) went down
        # first; every other table kept every row.
        left = _counts(connection)
        assert set(counts) - set(left) >= {"charters", "staff_roles", "signings"}
        assert left == {k: v for k, v in counts.items() if k in left}
    with db.engine.begin() as connection:
        # A second version, so every version is seen to move, not only the current one.
        connection.execute(
            text(SCHEME.replace("1, 'A scheme'", "2, 'A scheme'")),
            {
                "id": 99,
                "slug": "supporting-the-local-economy",
                "yes": False,
                "no": False,
                "now": datetime(2020, 1, 1),
            },
        )

    upgrade(revision=CHARTERS)
    with db.engine.connect() as connection:
        charters = connection.execute(text(f"SELECT id, {CHARTER_COLUMNS} FROM charters")).all()
        assert [tuple(row)[1:] for row in charters] == [SHROPSHIRE]
        owners = connection.execute(text("SELECT DISTINCT charter_id FROM schemes")).scalars()
        assert list(owners) == [charters[0].id]
        after = _counts(connection)
    assert after == {
        **{k: v for k, v in counts.items() if k in left},
        "charters": counts["charters"],
        "schemes": counts["schemes"] + 1,
    }

    # The file's [issuer] moved into [charter] with the same words: loading it again makes no
    # new scheme version on a service that migrated (to the head: the models read the columns
    # later migrations added).
    upgrade()
    again = runner.invoke(args=["charter", "load-scheme"])
    assert "already current; nothing changed" in again.output, again.output


@pytest.mark.usefixtures("empty_database_app")
def test_the_running_body_is_the_issuer_the_service_printed_and_the_column_is_required():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        connection.execute(
            text(SCHEME),
            {"id": 1, "slug": "a-charter", "yes": True, "no": False, "now": datetime(2026, 1, 1)},
        )
        connection.execute(
            text("UPDATE schemes SET issuer_name = 'Telford Council', issuer_members = NULL")
        )

    upgrade(revision=CHARTERS)

    with db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT slug, running_body, running_body_members FROM charters")
        ).one()
        assert tuple(row) == ("shropshire", "Telford Council", None)
    columns = {c["name"]: c for c in inspect(db.engine).get_columns("schemes")}
    assert columns["charter_id"]["nullable"] is False
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(text("UPDATE schemes SET charter_id = NULL"))


@pytest.mark.usefixtures("empty_database_app")
def test_a_service_without_schemes_gets_no_charter():
    upgrade(revision=CHARTERS)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM charters")).scalar() == 0
    downgrade(revision=BEFORE)
    assert "charters" not in inspect(db.engine).get_table_names()
