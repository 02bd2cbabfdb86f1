"""Inserting many rows in a few statements, skipping those already there.

The scheduled reviews and the opening of monitoring returns write thousands of rows a run;
one statement per row was most of their time at national scale. ``ON CONFLICT DO NOTHING``
(both databases) on a unique key keeps them safe to run twice, or in two processes at once:
a row another run inserted first is simply not returned.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from charter.extensions import db


def insert_ignoring(model, rows: list[dict], conflict: list[str], returning: tuple) -> list:
    """Insert ``rows``, skipping any that would break the unique ``conflict`` columns; the
    ``returning`` columns of the rows inserted now. Not committed.

    One compiled statement (cached) sent as "insertmanyvalues": a page of rows per round trip
    within the databases' parameter limits, rather than compiling a new multi-row VALUES
    statement for every batch."""
    if not rows:
        return []
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model.__table__)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(*returning)
    )
    return db.session.execute(statement, list(rows)).all()
