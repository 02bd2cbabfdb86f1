"""The demo as `make run` loads it, built once a day of the run and copied into each test that
asks for it (the ``demo`` fixture in tests/conftest.py).

Building the demo (four scheme files, 42 organisations through the real lifecycle, and every
charter's impact figures) takes ten seconds or more; some thirty tests read it, and building it
for each cost minutes of every run. Each test still gets a database of its own to change as it
likes: on SQLite the built database is copied with sqlite3's online backup, on PostgreSQL each
table's rows are copied back from a schema the build left them in (``demo_snapshot``), ids
continue after the copied rows, and the evidence files are copied into the test's directory.

The copy is of one day's build: a test that runs after midnight gets a build of its own day, so
"today" in the demo and in the test agree.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import Integer, create_engine, text

from charter.extensions import db
from charter.models.base import utcnow

SCHEMA = "demo_snapshot"


@dataclass
class DemoSnapshot:
    day: date
    output: str  # what `flask charter demo-data` printed
    evidence: Path
    sqlite: sqlite3.Connection | None  # the built database, on SQLite


def build(app: Flask, scheme_files, directory: Path) -> DemoSnapshot:
    """Load the scheme files and the demo into ``app``'s empty database through the commands
    `make run` uses, and keep a copy in ``directory`` (the database keeps the demo too)."""
    runner = app.test_cli_runner()
    for path in scheme_files:
        loaded = runner.invoke(args=["charter", "load-scheme", str(path)])
        assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(args=["charter", "demo-data"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    evidence = directory / "evidence"
    shutil.copytree(app.config["EVIDENCE_DIR"], evidence)
    copy = None
    if db.engine.dialect.name == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with driver_connection() as built:
            built.backup(copy)
    else:
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
            for table in db.metadata.sorted_tables:
                conn.execute(text(f'CREATE TABLE {SCHEMA}."{table.name}" AS TABLE "{table.name}"'))
    return DemoSnapshot(utcnow().date(), result.output, evidence, copy)


def restore(app: Flask, snapshot: DemoSnapshot) -> None:
    """Copy the built demo into ``app``'s database (empty, its schema made) and evidence store."""
    db.session.remove()
    if snapshot.sqlite is not None:
        with driver_connection() as target:
            snapshot.sqlite.backup(target)
    else:
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                conn.execute(
                    text(f'INSERT INTO "{table.name}" SELECT * FROM {SCHEMA}."{table.name}"')
                )
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                        )
                    )
    shutil.copytree(snapshot.evidence, app.config["EVIDENCE_DIR"], dirs_exist_ok=True)


def drop(snapshot: DemoSnapshot, database_url: str) -> None:
    """At the end of the run: nothing of the copy is left behind."""
    if snapshot.sqlite is not None:
        snapshot.sqlite.close()
        return
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


class driver_connection:
    """The sqlite3 connection under the app's engine (one, in memory, shared by its pool)."""

    def __enter__(self) -> sqlite3.Connection:
        self.pooled = db.engine.raw_connection()
        return self.pooled.driver_connection

    def __exit__(self, *_exc) -> None:
        self.pooled.close()
