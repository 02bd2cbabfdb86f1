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
"""

from __future__ import annotations

from flask import Flask

STARTUP_OPTIONS = "-c jit=off"


def postgresql_options(url: str, options: dict | None = None) -> dict:
    """``create_engine`` options for ``url``: ``options`` with the startup settings added if it
    is a PostgreSQL address (a copy: the config's dictionary is shared by every app)."""
    options = dict(options or {})
    if url.startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        given = connect_args.get("options", "")
        connect_args["options"] = f"{given} {STARTUP_OPTIONS}".strip()
        options["connect_args"] = connect_args
    return options


def init_app(app: Flask) -> None:
    """Before ``db.init_app``: the primary's engine options."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS")
    )
