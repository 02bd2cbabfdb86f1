"""A bounded ``int`` converter: a URL id beyond what an INTEGER column holds matches no route.

Werkzeug's ``int`` accepts any number of digits; on PostgreSQL ``WHERE id = 99999999999``
fails with "integer out of range" (a 500), and SQLite only fails later at 2**63. Replacing
the ``int`` converter itself, rather than adding a new name, means every route, including
ones added tomorrow, is bounded without anyone remembering to ask for it.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from charter.models.base import INTEGER_COLUMN_MAX


class BoundedIntConverter(IntegerConverter):
    """``<int:x>`` from 0 to ``INTEGER_COLUMN_MAX`` unless the rule says otherwise
    (``<int(max=9):x>``)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=min,
            max=INTEGER_COLUMN_MAX if max is None else max,
            signed=signed,
        )


def register(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
