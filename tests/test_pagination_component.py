"""The service's pagination component renders the GOV.UK Frontend pagination's markup for every
shape of parameters the service passes (it is a lighter copy, for rendering time)."""

from __future__ import annotations

import re

import pytest

CASES = {
    "first of many": {
        "items": [
            {"number": 1, "href": "/r?page=1", "current": True},
            {"number": 2, "href": "/r?page=2&after=abc", "current": False},
            {"ellipsis": True},
            {"number": 40, "href": "/r?page=40", "current": False},
        ],
        "next": {"href": "/r?page=2&after=abc"},
    },
    "middle": {
        "items": [
            {"number": 1, "href": "/r?page=1", "current": False},
            {"ellipsis": True},
            {"number": 6, "href": "/r?page=6&before=x", "current": False},
            {"number": 7, "href": "/r?page=7", "current": True},
            {"number": 8, "href": "/r?page=8&after=y", "current": False},
            {"ellipsis": True},
            {"number": 40, "href": "/r?page=40", "current": False},
        ],
        "previous": {"href": "/r?page=6&before=x"},
        "next": {"href": "/r?page=8&after=y"},
    },
    "last": {
        "items": [
            {"number": 1, "href": "/r?page=1&q=a%26b", "current": False},
            {"number": 2, "href": "/r?page=2&q=a%26b", "current": True},
        ],
        "previous": {"href": "/r?page=1&q=a%26b"},
    },
    "a quote in a link": {
        "items": [{"number": 1, "href": '/r?q="><script>', "current": True}],
        "next": {"href": '/r?q="><script>&page=2'},
    },
}


def _normalised(html: str) -> str:
    """Whitespace next to a tag dropped and other runs made one space: the two templates
    indent differently, and browsers render such whitespace in these elements the same."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


@pytest.mark.parametrize("params", CASES.values(), ids=CASES.keys())
def test_the_same_markup_as_govuk_frontend(app, params):
    with app.test_request_context():
        ours = app.jinja_env.from_string(
            '{% from "components/pagination.html" import pagination %}{{ pagination(p) }}'
        ).render(p=params)
        govuk = app.jinja_env.from_string(
            '{% from "govuk_frontend_jinja/components/pagination/macro.html" '
            "import govukPagination %}{{ govukPagination(p) }}"
        ).render(p=params)
    assert _normalised(ours) == _normalised(govuk)
    assert "<script>" not in ours  # links are escaped
