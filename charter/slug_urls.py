"""Addresses of many organisations' pages at once: url_for once a page, not once a row.

A page of the register, an API page or an export builds one address per organisation; through
url_for each costs a routing lookup and a build. Slugs are URL-safe (lowercase letters, digits,
hyphens), so the address is built once with a placeholder and the slug put in its place.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

_PLACEHOLDER = "slug-placeholder"


def slug_url_builder(endpoint: str, **values) -> Callable[[str], str]:
    head, tail = url_for(endpoint, slug=_PLACEHOLDER, **values).split(_PLACEHOLDER, 1)
    return lambda slug: f"{head}{slug}{tail}"
