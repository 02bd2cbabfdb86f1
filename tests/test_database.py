"""The suite runs on the database DATABASE_URL names: so the PostgreSQL leg of CI provably
talks to PostgreSQL, and the default leg to SQLite."""

import os

from sqlalchemy import text


def test_the_suite_talks_to_the_configured_database(db):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        assert db.engine.dialect.name == "postgresql"
        version = db.session.execute(text("select version()")).scalar_one()
        assert version.startswith("PostgreSQL")
    else:
        assert db.engine.dialect.name == "sqlite"
        version = db.session.execute(text("select sqlite_version()")).scalar_one()
        assert version.split(".")[0] == "3"
