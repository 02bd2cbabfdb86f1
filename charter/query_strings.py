"""Reading staff pages' query strings: a bad value gets a clear message, never a 500 or 404.

The public register parses its own query string with its filter options
(``charter.services.read_models.register.parse_query``); these are for the admin and assessor lists.
"""

from __future__ import annotations

from flask import render_template
from werkzeug.datastructures import MultiDict

# Far beyond any real list, and small enough that page * page size fits an SQL OFFSET.
MAX_PAGE = 100_000
PAGE_MESSAGE = f"The page number must be a whole number from 1 to {MAX_PAGE:,}"


class BadQuery(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def page_number(args: MultiDict) -> int:
    """The ``page`` parameter, 1 when absent; ``BadQuery`` when it is not a page number."""
    text = (args.get("page") or "").strip()
    if not text:
        return 1
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PAGE:
        raise BadQuery(PAGE_MESSAGE)
    return int(text)


def bad_query_response(error: BadQuery):
    return render_template("errors/bad-request.html", message=error.message), 400
