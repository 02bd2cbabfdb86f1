"""Security headers on every response; HSTS in production; no caching of signed-in pages.

A page shown to a signed-in person may carry their organisation's details: ``no-store`` keeps
it out of shared and browser caches, so the back button on a shared computer after signing
out does not show it again. HSTS is sent only where the service is served over HTTPS
(``HSTS_SECONDS`` is set by the production settings), because a browser remembers it.
"""

from __future__ import annotations

from flask import Flask, current_app, request, session

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self' 'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
)


def add_headers(response):
    # Each header a view has not set itself, in this order: the names present are read once
    # (werkzeug's setdefault scans the headers twice for each).
    present = {name.lower() for name, _value in response.headers.items()}
    security = _ALWAYS
    hsts_seconds = current_app.config.get("HSTS_SECONDS")
    if hsts_seconds:
        hsts = f"max-age={int(hsts_seconds)}; includeSubDomains"
        security = (*_ALWAYS, ("Strict-Transport-Security", hsts))
    for name, value in security:
        if name.lower() not in present:
            response.headers.add(name, value)
    already_private = "no-store" in response.headers.get("Cache-Control", "")
    if not already_private and request.endpoint != "static" and _signed_in():
        # Replaces any public caching a view chose: this copy was made for one person.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def _signed_in() -> bool:
    # The session cookie, not current_user: no database query for a response header, and a
    # revoked session's page is still not worth caching.
    # Read only when a cookie came: touching the session adds "Vary: Cookie" to every
    # response, which would stop shared caches from keeping public pages and API answers.
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return False
    return "_user_id" in session


def register(app: Flask) -> None:
    app.after_request(add_headers)
