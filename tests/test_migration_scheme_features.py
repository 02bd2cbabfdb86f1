"""The migration of the scheme-file features for other charters (e5a1c7d3b820): every existing
scheme version is Shropshire's and awards the Charter Mark, so it gets has_award and that name;
every existing measure's National TOMs code becomes its shared reference, and a measure without
one has none; the new optional settings are empty. Down again, the columns and tables go, and
the data that was there stays. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_certificates import MEASURE, SCHEME

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE_CHARTERS = "b3f1c9e2d417"
BEFORE = "d4a7e2c9b815"
FEATURES = "e5a1c7d3b820"


def _seed() -> None:
    upgrade(revision=BEFORE_CHARTERS)
    with db.engine.begin() as connection:
        run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
        run(SCHEME, id=1, slug="supporting-the-local-economy", yes=True, no=False,
            now=datetime(2026, 1, 1))  # fmt: skip
        for measure_id, code in ((1, "LE1"), (2, "LE2"), (3, "LOCAL")):
            run(MEASURE, id=measure_id, code=code, unit="GBP", yes=True, proxy=None)
        run("UPDATE measures SET toms_ref = 'NT18' WHERE code = 'LE1'")
        run("UPDATE measures SET toms_ref = 'NT19' WHERE code = 'LE2'")
    upgrade(revision=BEFORE)


@pytest.mark.usefixtures("empty_database_app")
def test_existing_schemes_award_the_charter_mark_and_measures_keep_their_references():
    _seed()

    upgrade(revision=FEATURES)

    with db.engine.connect() as connection:
        scheme = connection.execute(
            text(
                "SELECT has_award, award_name, service_credits, minimum_standards,"
                " weighting_bands, self_assessment FROM schemes"
            )
        ).one()
        references = dict(connection.execute(text("SELECT code, reference FROM measures")).all())
        themes = connection.execute(text("SELECT count(*) FROM themes")).scalar()
    assert (bool(scheme[0]), scheme[1], bool(scheme[2])) == (True, "Charter Mark", False)
    assert scheme[3:] == (None, None, None)
    assert references == {"LE1": "NT18", "LE2": "NT19", "LOCAL": None}
    assert themes == 0

    downgrade(revision=BEFORE)
    inspector = inspect(db.engine)
    assert "reference" not in {c["name"] for c in inspector.get_columns("measures")}
    assert "award_name" not in {c["name"] for c in inspector.get_columns("schemes")}
    assert not {"themes", "priorities", "theme_priorities"} & set(inspector.get_table_names())
    with db.engine.connect() as connection:
        kept = dict(connection.execute(text("SELECT code, toms_ref FROM measures")).all())
    assert kept == {"LE1": "NT18", "LE2": "NT19", "LOCAL": None}

    upgrade(revision=FEATURES)  # and up again
