"""The app's PostgreSQL connections run without JIT: compiling a 20-row register query took 57 ms
of its 81 ms at 100,000 organisations."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from charter.extensions import db
from charter.operations.connection_settings import postgresql_options


@pytest.mark.parametrize(
    ("url", "given", "expected"),
    [
        ("sqlite:///:memory:", {}, {}),
        ("postgresql+psycopg://db/charter", {}, {"connect_args": {"options": "-c jit=off"}}),
        (
            "postgresql+psycopg://db/charter",
            {"pool_size": 3, "connect_args": {"connect_timeout": 2, "options": "-c work_mem=8MB"}},
            {
                "pool_size": 3,
                "connect_args": {"connect_timeout": 2, "options": "-c work_mem=8MB -c jit=off"},
            },
        ),
    ],
)
def test_postgresql_connections_start_without_jit(url, given, expected):
    before = repr(given)
    assert postgresql_options(url, given) == expected
    assert repr(given) == before  # the config's own dictionary is left as it was


def test_the_apps_connections_have_jit_off(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    assert db.session.scalar(text("SHOW jit")) == "off"
