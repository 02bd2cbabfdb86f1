"""Rows of plain columns read through the session's connection, without the ORM's layer.

A statement that selects columns and no mapped entity (a page of the register's rows, a page of
the API, a new search's matches) gives the ORM nothing to do with its rows, yet
``Session.execute`` sets up the ORM's loading for each execution: on a page of the register's
rows at 100,000 organisations that was a third of the client's time (852 µs of Python a page
through the ORM, 576 µs on the connection; issue 23). Read here, a statement goes to the same
connection, in the same transaction, routed to the replica or the primary by the same rule
(``replica_session``), after the same autoflush; only a statement of columns may come here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.sql import Select

from charter.extensions import db


def column_rows(statement: Select, params: Mapping[str, Any] | None = None) -> Sequence[Row]:
    session = db.session()
    if session.autoflush:
        session.flush()  # as Session.execute would first; nothing to do when nothing changed
    connection = session.connection(bind_arguments={"clause": statement})
    return connection.execute(statement, params).all()
