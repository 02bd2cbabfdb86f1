"""Inserting many rows in a few statements, skipping those already there.

The scheduled reviews and the opening of monitoring returns write thousands of rows a run;
one statement per row was most of their time at national scale. ``ON CONFLICT DO NOTHING``
(both databases) on a unique key keeps them safe to run twice, or in two processes at once:
a row another run inserted first is simply not returned.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from charter.extensions import db

# Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
MAX_PARAMETERS = 20_000


def insert_ignoring(model, rows: list[dict], conflict: list[str], returning: tuple) -> list:
    """Insert ``rows`` (in as few statements as the parameter limits allow), skipping any that
    would break the unique ``conflict`` columns; the ``returning`` columns of the rows inserted
    now. Not committed."""
    if not rows:
        return []
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    per_statement = max(1, MAX_PARAMETERS // len(model.__table__.columns))
    inserted: list = []
    for start in range(0, len(rows), per_statement):
        statement = (
            dialect.insert(model)
            .values(rows[start : start + per_statement])
            .on_conflict_do_nothing(index_elements=conflict)
            .returning(*returning)
        )
        inserted += db.session.execute(statement).all()
    return inserted
