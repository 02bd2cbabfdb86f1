"""Cross-cutting defences, wired into the app by ``create_app`` in two calls.

They live here, each in its own small module, rather than in the factory, so that the factory
stays a list of steps and the defences can be read (and tested) one at a time:

- ``converters``: URL ids are bounded to what the database can hold, so ``/x/99999999999``
  is a 404 rather than an overflow error on PostgreSQL.
- ``request_guard``: a NUL byte anywhere in the path, query string or form is refused with
  a 400 before any view runs (PostgreSQL cannot store it; SQLite would store it silently).
- ``links``: absolute links (in emails above all) are built from ``SERVICE_URL``, never from
  the request's Host header.
- ``headers``: security headers, HSTS in production, ``no-store`` for signed-in pages.
- ``sessions``: Flask's signed-cookie sessions, the signer built only when a cookie came.
"""

from __future__ import annotations

from flask import Flask


def register_converters(app: Flask) -> None:
    """Before any blueprint is registered: rules are compiled with the converters they find."""
    from charter.security.converters import register as register_converters_

    register_converters_(app)


def register_security(app: Flask) -> None:
    from charter.security import headers, links, request_guard, sessions

    sessions.register(app)
    request_guard.register(app)
    links.register(app)
    headers.register(app)
