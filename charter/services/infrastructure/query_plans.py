"""Plans made for a statement's own values, for the statements whose best plan depends on them.

psycopg prepares a statement on the server once a connection has run it five times, and
PostgreSQL may then plan it once for any values (a generic plan). For most of the register's
statements that saves planning time. A name search is the exception: the best plan for
``lower(name) LIKE '%llp%'`` depends on how common the word is (walk the name index, or ask the
trigram index), and the generic plan walked the name index for every word: 56 ms for a page of
"llp" at 100,000 organisations where the plan for its own value takes 3 ms.
``custom_plans()`` has the statements inside it sent unprepared, so each execution is planned
for its own values; on SQLite, which has no such plans, it does nothing. The matches of a name
search found in no order (its count, and a new search's first page, cut from them) are the
trigram index's whatever the word, and PostgreSQL's plan for any word reads it too: those are
prepared, and planned for their values only where a district, type, sector or standing is also
asked for, whose values differ in how common they are.

``custom_plans(name_order=True)`` also rules out bitmap scans, so the trigram index (which only
answers bitmap scans) is not used: for a word with more matches than a search shows, or with
matches dense in what it searches (``register.NAME_ORDER_WALK``). The planner reads a common word
from the trigram index, every match then sorted, so a page of "severn" (2,974 matches at 100,000
organisations, 1 in 34) took 14 ms and grew with the register; walking the name index until a page
of matches is found reads about 34 entries a row (0.7 ms), the same at any size for a word as
common. Under the cap, the trigram index reads at most that many matches, so both ways are bounded
by the cap, not by the register. The setting is for the current transaction (``SET LOCAL``), or in
autocommit for the session, and reset when the block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from charter.extensions import db


@contextmanager
def custom_plans(*, name_order: bool = False, when: bool = True) -> Iterator[None]:
    """``when``: False runs the block as it is (prepared, PostgreSQL choosing its plan)."""
    session = db.session
    if not when:
        yield
        return
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    # Not prepared by psycopg: sent unnamed, each is planned for its own values (PostgreSQL
    # plans an unnamed statement once, at its bind), so no plan_cache_mode is needed, nor the
    # two round trips that set and reset it. Prepared, a page of a common word in name order
    # took 12 ms against 5 ms sent as it is.
    connection = session.connection()
    driver = connection.connection.driver_connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    # A public page reads in autocommit (caching._autocommit_reads), where SET LOCAL is a
    # warning and nothing more (each statement is a transaction of its own): there the setting
    # is the session's, and RESET after. It was LOCAL only, and so no public page of a common
    # word was ever read in name order (20.9 ms for "severn" at 100,000 organisations).
    scope = "" if driver.autocommit else "LOCAL "
    if name_order:
        connection.exec_driver_sql(f"SET {scope}enable_bitmapscan = off")
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
        if name_order:
            connection.exec_driver_sql("RESET enable_bitmapscan")
