"""Hypothesis strategies for hostile input, and a record of what a request saved."""

from __future__ import annotations

from contextlib import contextmanager

from hypothesis import strategies as st
from sqlalchemy import event

from charter.extensions import db

# What people and attackers type: the edge cases by name, then anything at all.
NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1" * 40,
        "9" * 20 + ".999",
        "99999999999",
        str(2**31),
        str(2**63),
        "1e400",
        "NaN",
        "Infinity",
        "1,2,3",
        "١٢٣",
        "１２３",
        "£1,234.50",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%s%n",
        "../../etc/passwd",
        '=HYPERLINK("http://x")',
        "\u202e\u0000\ufeff",
        "x" * 5000,
        "2026-02-30",
        "31",
        "13",
        "\ud7ff",
    ]
)
ANY_TEXT = st.one_of(NASTY_TEXT, st.text(max_size=60), st.integers().map(str))
QUERY_NAMES = [
    "q",
    "page",
    "type",
    "standing",
    "district",
    "sector",
    "size",
    "limit",
    "cursor",
    "certificate_number",
    "status",
    "next",
]


def query_strings():
    names = st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=10))
    return st.dictionaries(names, ANY_TEXT, max_size=4)


@contextmanager
def committed_writes():
    """The INSERT, UPDATE and DELETE statements committed inside the block.

    Cheaper than comparing the whole database before and after each example, and as strict:
    a write that was rolled back saved nothing; a committed one did.
    """
    pending: list[str] = []
    committed: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            pending.append(statement.split("\n", 1)[0][:120])

    def commit(_conn):
        committed.extend(pending)
        pending.clear()

    def rollback(_conn):
        pending.clear()

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        yield committed
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)
