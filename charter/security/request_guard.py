"""Refuse a request carrying a NUL byte before any view sees it.

PostgreSQL refuses NUL in text ("A string literal cannot contain NUL (0x00) characters"), so
a NUL in any form field or query string became a 500 there (and, in a streamed export, a 200
that broke off mid-body), while SQLite stored it. No person types one: it comes only from a
tool or an attacker, so one check here covers every form, filter and API parameter at once,
and nothing is saved because no view runs.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

NUL = "\x00"
MESSAGE = (
    "Your request contained a character that is not allowed (a NUL byte, code 0). "
    "Nothing was saved. Go back, remove it and try again."
)


def _carries_nul() -> bool:
    if NUL in request.path:
        return True
    # A request without a body has no form: not parsing one saves every page a few microseconds.
    has_body = request.content_length or request.headers.get("Transfer-Encoding")
    for multidict in (request.args, request.form) if has_body else (request.args,):
        for key, value in multidict.items(multi=True):
            if NUL in key or NUL in value:
                return True
    return False


def refuse_nul_bytes():
    if not _carries_nul():
        return None
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"code": "invalid_parameter", "message": MESSAGE}})
        response.status_code = 400
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template("errors/bad-request.html", message=MESSAGE), 400


def register(app: Flask) -> None:
    # First, ahead of CSRF and the views: nothing that reads the input runs.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_bytes)
