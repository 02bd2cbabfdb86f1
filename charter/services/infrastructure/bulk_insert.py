"""Inserting and selecting many rows in a few statements, skipping rows already there.

The scheduled reviews and the opening of monitoring returns write thousands of rows a run;
one statement per row was most of their time at national scale. ``ON CONFLICT DO NOTHING``
(both databases) on a unique key keeps them safe to run twice, or in two processes at once:
a row another run inserted first is simply not returned.

On PostgreSQL a batch goes as one array parameter per column (``INSERT … SELECT FROM
unnest(…)``, ``col = ANY(…)``) rather than one parameter per value: profiled at 100,000
organisations, a 1,000-row multi-VALUES insert or a 1,000-id ``IN`` list spent most of its time
in psycopg rewriting a query text of thousands of placeholders (too long for its cache), not in
the database. SQLite, which has no arrays, keeps multi-row VALUES and expanding ``IN``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import ColumnElement, any_, bindparam, cast, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import JSON, Text

from charter.extensions import db


def _on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def among(column, values: Iterable) -> ColumnElement[bool]:
    """``column IN values``: one array parameter on PostgreSQL, whatever the number of values."""
    values = list(values)
    if not _on_postgresql():
        return column.in_(values)
    array = postgresql.ARRAY(column.type)
    return column == any_(cast(bindparam(None, values, type_=array), array))


def _columns(rows: list[dict]) -> list[str]:
    columns = list(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("every row must name the same columns")
    return columns


def _arrays_select(table, columns: list[str], rows: list[dict]):
    """``SELECT * FROM unnest(:a, :b, …)``: the rows as one typed array per column (a JSON
    column as text, serialised as the engine would, and cast back)."""
    arrays, selected = [], []
    unnested_columns = []
    for name in columns:
        column_type = table.c[name].type
        values = [row[name] for row in rows]
        if isinstance(column_type, JSON):
            dumps = db.engine.dialect._json_serializer or json.dumps
            values = [None if v is None else dumps(v) for v in values]
            array = postgresql.ARRAY(Text())
        else:
            array = postgresql.ARRAY(column_type)
        arrays.append(cast(bindparam(None, values, type_=array), array))
        unnested_columns.append((name, column_type))
    unnested = func.unnest(*arrays).table_valued(*columns).render_derived()
    for name, column_type in unnested_columns:
        column = unnested.c[name]
        selected.append(cast(column, column_type) if isinstance(column_type, JSON) else column)
    return select(*selected)


def insert_many(model, rows: list[dict]) -> int:
    """Insert ``rows`` (each naming the same columns) in one statement. Not committed."""
    if not rows:
        return 0
    table = model.__table__
    columns = _columns(rows)
    if _on_postgresql():
        db.session.execute(insert(table).from_select(columns, _arrays_select(table, columns, rows)))
    else:
        db.session.execute(insert(table), rows)
    return len(rows)


def insert_ignoring(model, rows: list[dict], conflict: list[str], returning: tuple) -> list:
    """Insert ``rows``, skipping any that would break the unique ``conflict`` columns; the
    ``returning`` columns of the rows inserted now. Not committed.

    PostgreSQL: one statement of one array per column. SQLite: one compiled statement (cached)
    sent as "insertmanyvalues", a page of rows per round trip within its parameter limit."""
    if not rows:
        return []
    table = model.__table__
    columns = _columns(rows)
    if _on_postgresql():
        statement = (
            postgresql.insert(table)
            .from_select(columns, _arrays_select(table, columns, rows))
            .on_conflict_do_nothing(index_elements=conflict)
            .returning(*returning)
        )
        return db.session.execute(statement).all()
    dialect = postgresql if _on_postgresql() else sqlite
    statement = (
        dialect.insert(table).on_conflict_do_nothing(index_elements=conflict).returning(*returning)
    )
    return db.session.execute(statement, list(rows)).all()


def update_versioned(objects: Iterable) -> None:
    """Write the changed columns of loaded, version-counted objects (organisations, Charter
    Marks) as one UPDATE per kind and set of changed columns, each row checked against the
    version it was read at, as the ORM's flush checks it; then the objects are clean.

    SQLAlchemy's flush sends a versioned UPDATE for each row (to check each row count), which
    made a batch's transitions one statement per organisation. A row changed by someone else
    meanwhile raises StaleDataError, as the flush would (the batch is then redone one
    organisation at a time). PostgreSQL only: elsewhere the flush writes them as before."""
    if not _on_postgresql():
        return
    groups: dict[tuple, list[tuple[object, dict]]] = {}
    for obj in objects:
        state = inspect(obj)
        mapper = state.mapper
        if mapper.version_id_col is None or not state.persistent or not state.modified:
            continue
        version_key = mapper.get_property_by_column(mapper.version_id_col).key
        if not isinstance(state.attrs[version_key].loaded_value, int):
            continue  # its version not read (expired): the flush reads and checks it
        changed = {}
        for attr in mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.added:
                changed[attr.key] = history.added[0]
        if changed and not any(isinstance(v, ClauseElement) for v in changed.values()):
            groups.setdefault((mapper, tuple(changed)), []).append((obj, changed))
    for (mapper, keys), items in groups.items():
        _update_group(mapper, keys, items)


def _update_group(mapper, keys: tuple[str, ...], items: list[tuple[object, dict]]) -> None:
    table = mapper.local_table
    version_key = mapper.get_property_by_column(mapper.version_id_col).key
    (pk,) = mapper.primary_key
    names = {key: mapper.get_property(key).columns[0].name for key in keys}
    rows = [
        {
            "_pk": inspect(obj).identity[0],
            "_version": inspect(obj).attrs[version_key].loaded_value,
            **{names[k]: changed[k] for k in keys},
        }
        for obj, changed in items
    ]
    arrays = [
        cast(
            bindparam(None, [row[n] for row in rows], type_=postgresql.ARRAY(t)),
            postgresql.ARRAY(t),
        )
        for n, t in [("_pk", pk.type), ("_version", mapper.version_id_col.type)]
        + [(names[k], table.c[names[k]].type) for k in keys]
    ]
    given = func.unnest(*arrays).table_valued("_pk", "_version", *names.values()).render_derived()
    version = mapper.version_id_col
    statement = (
        update(table)
        .where(pk == given.c._pk, version == given.c._version)
        .values({version: version + 1, **{names[k]: given.c[names[k]] for k in keys}})
        .returning(pk)
    )
    with db.session.no_autoflush:  # else the flush writes these rows first, one by one
        written = {row[0] for row in db.session.execute(statement)}
    if len(written) != len(rows):
        raise StaleDataError(
            f"{mapper.class_.__name__}: {len(rows) - len(written)} of {len(rows)} rows were "
            "changed by someone else since they were read"
        )
    for obj, changed in items:
        state = inspect(obj)
        old = state.attrs[version_key].loaded_value
        for key, value in changed.items():
            set_committed_value(obj, key, value)
        set_committed_value(obj, version_key, old + 1)
