"""Settings every PostgreSQL connection of the app starts with.

**JIT off.** PostgreSQL compiles a query to machine code when its estimated cost passes
``jit_above_cost`` (100,000 by default). A register page filtered to Charter Mark holders is
estimated that high at 100,000 organisations (the planner cannot know that the first 20 holders
in name order come early), and compiling it took 57 ms of its 81 ms, for a query that reads 20
rows (issue 23: the page took 48 ms in process where its neighbours take 4). The service's
queries are short; its few long ones (the open-data builds, the scheduled reviews) read in
batches by index. So the app's connections run without JIT; ``psql`` and other clients keep the
server's setting. Set in the connection's startup packet, so a pooled connection, a replaced one
and the replica's all have it without a statement of their own.

**A bound on each statement of a web request** (``DATABASE_STATEMENT_TIMEOUT_SECONDS``, set to
30 by ``gunicorn.conf.py`` for the web processes only). A threaded gunicorn worker no longer
kills a request that outlasts its timeout, so nothing else would stop a statement that runs
away (a plan gone wrong, a lock held by a stuck job): it would hold a thread and a connection
until it finished. PostgreSQL cancels a statement that passes the bound; the request gets the
503 page and the log says which. The scheduler, the mail worker and the command line keep no
bound: their long jobs read in batches, and a cancelled build would only start again.

**Every statement's parsed form kept.** psycopg turns each statement's ``%(name)s`` placeholders
into PostgreSQL's ``$1`` and keeps the result, but only for statements of up to 4,096 bytes,
to spare memory on the ever-different statements some programs generate. The app's statements
are built once for each shape of request and run with each request's values; the organisation
page's is 6,242 bytes, and psycopg parsed it again on every page (about 2% of a freshly rendered
one's Python time, issue 23). The limit is raised for this process to 16 KiB; psycopg keeps at
most 128 statements, so that is at most 2 MiB.
"""

from __future__ import annotations

import math

from flask import Flask

STARTUP_OPTIONS = "-c jit=off"


def startup_options(statement_timeout_seconds: float = 0) -> str:
    """The ``options`` of the startup packet: JIT off, and the statement bound if there is one
    (in whole milliseconds, PostgreSQL's unit; 0: none)."""
    if not 0 < statement_timeout_seconds < math.inf:
        return STARTUP_OPTIONS
    return f"{STARTUP_OPTIONS} -c statement_timeout={round(statement_timeout_seconds * 1000)}"


def postgresql_options(url: str, options: dict | None = None, statement_timeout: float = 0) -> dict:
    """``create_engine`` options for ``url``: ``options`` with the startup settings added if it
    is a PostgreSQL address (a copy: the config's dictionary is shared by every app)."""
    options = dict(options or {})
    if url.startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        given = connect_args.get("options", "")
        connect_args["options"] = f"{given} {startup_options(statement_timeout)}".strip()
        options["connect_args"] = connect_args
    return options


# psycopg's own bound on the statements whose parsed form it keeps (psycopg/_queries.py).
KEPT_STATEMENT_BYTES = 16 * 1024


def keep_parsed_statements(limit: int = KEPT_STATEMENT_BYTES) -> None:
    """Raise psycopg's bound on the statements it keeps parsed to ``limit`` bytes (never
    lower it). A psycopg without the setting is left as it is."""
    from psycopg import _queries

    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", limit) < limit:
        _queries.MAX_CACHED_STATEMENT_LENGTH = limit


def init_app(app: Flask) -> None:
    """Before ``db.init_app``: the primary's engine options."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        keep_parsed_statements()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_options(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS"),
        app.config.get("DATABASE_STATEMENT_TIMEOUT_SECONDS", 0),
    )
