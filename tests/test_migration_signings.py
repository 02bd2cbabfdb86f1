"""The migration that moves what is about one charter to a signing (5a7d2c8e4b19): each
organisation's scheme, route and consent to publish figures become its signing of the scheme's
charter, an organisation with answers but no scheme is signed under the newest version, one with
nothing gets no signing; down again, each organisation takes its answers back, and up again.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    demo_at_head,
    empty_database_app,
    keep_logging,
)
from tests.test_migration_certificates import SCHEME

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE_CHARTERS = "b3f1c9e2d417"
STAFF_ROLES = "7c2e5a91d3f0"
SIGNINGS = "5a7d2c8e4b19"
DECIDED = datetime(2026, 2, 3, 4, 5, 6)
REGISTERED = datetime(2026, 1, 1)
ORGANISATION = (
    "INSERT INTO organisations (id, slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at, scheme_id, route, publishes_figures, publishes_figures_decided_at)"
    " VALUES (:id, :slug, :slug, 'business', 'small', 'Construction', '1 High St', 'Shrewsbury',"
    " 'SY1 1AA', 'Shrewsbury', 'GB-COH', 'monitoring', 1, :now, :now, :scheme, :route,"
    " :publishes, :decided)"
)
# slug -> (scheme_id, route, publishes_figures, decided_at)
ORGANISATIONS = {
    "signed-publishing": (1, "working_towards", True, DECIDED),
    "signed-declining": (2, "already_delivering", False, DECIDED),
    "registered-only": (2, None, False, None),
    "no-scheme-but-route": (None, "working_towards", False, None),
    "nothing-at-all": (None, None, False, None),
}
ORDER_INDEXES = (
    "ix_organisations_register_order",
    "ix_organisations_district_order",
    "ix_organisations_sector_order",
    "ix_organisations_type_order",
)
COLUMNS = ("scheme_id", "route", "publishes_figures", "publishes_figures_decided_at")


def _organisations_before() -> None:
    upgrade(revision=BEFORE_CHARTERS)
    with db.engine.begin() as connection:
        for scheme_id, slug in ((1, "a-scheme"), (2, "a-scheme")):
            params = {"id": scheme_id, "slug": slug, "yes": scheme_id == 2, "no": False}
            connection.execute(
                text(SCHEME.replace("1, 'A scheme'", ":id, 'A scheme'")),
                params | {"now": REGISTERED},
            )
        for number, (slug, (scheme, route, publishes, decided)) in enumerate(ORGANISATIONS.items()):
            connection.execute(
                text(ORGANISATION),
                {
                    "id": number + 1,
                    "slug": slug,
                    "now": REGISTERED,
                    "scheme": scheme,
                    "route": route,
                    "publishes": publishes,
                    "decided": decided,
                },
            )
    upgrade(revision=STAFF_ROLES)


def _signings(connection) -> dict[str, tuple]:
    rows = connection.execute(
        text(
            "SELECT o.slug, s.charter_id, s.scheme_id, s.route, s.publishes_figures,"
            " s.publishes_figures_decided_at, s.created_at FROM signings s"
            " JOIN organisations o ON o.id = s.organisation_id"
        )
    ).all()
    return {slug: (c, s, r, bool(p), _when(d), _when(at)) for slug, c, s, r, p, d, at in rows}


def _when(value) -> datetime | None:
    """A timestamp read with raw SQL: SQLite gives text, PostgreSQL a datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@pytest.mark.usefixtures("empty_database_app")
def test_each_organisation_s_answers_become_its_signing_and_come_back_down():
    _organisations_before()
    with db.engine.connect() as connection:
        charter_id = connection.execute(text("SELECT min(id) FROM charters")).scalar()

    upgrade(revision=SIGNINGS)

    with db.engine.connect() as connection:
        left = {c["name"] for c in inspect(connection).get_columns("organisations")}
        assert not left & set(COLUMNS)
        signed = _signings(connection)
    assert signed == {
        "signed-publishing": (charter_id, 1, "working_towards", True, DECIDED, REGISTERED),
        "signed-declining": (charter_id, 2, "already_delivering", False, DECIDED, REGISTERED),
        "registered-only": (charter_id, 2, None, False, None, REGISTERED),
        # Its route is kept, under the newest scheme version.
        "no-scheme-but-route": (charter_id, 2, "working_towards", False, None, REGISTERED),
    }
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        # One signing per organisation and charter.
        connection.execute(
            text(
                "INSERT INTO signings (organisation_id, charter_id, scheme_id, publishes_figures,"
                " created_at) VALUES (1, :c, 2, :no, :now)"
            ),
            {"c": charter_id, "no": False, "now": REGISTERED},
        )

    downgrade(revision=STAFF_ROLES)
    with db.engine.connect() as connection:
        assert "signings" not in inspect(connection).get_table_names()
        rows = connection.execute(
            text(f"SELECT slug, {', '.join(COLUMNS)} FROM organisations")
        ).all()
    back = {slug: (scheme, route, bool(p), _when(d)) for slug, scheme, route, p, d in rows}
    assert back == ORGANISATIONS | {"no-scheme-but-route": (2, "working_towards", False, None)}

    upgrade(revision=SIGNINGS)
    with db.engine.connect() as connection:
        assert len(_signings(connection)) == 4
        # The register's order indexes survive the table being rebuilt (SQLite's batch);
        # SQLAlchemy cannot reflect SQLite's expression indexes, so the catalogue is asked.
        catalogue = (
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organisations'"
            if connection.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE tablename = 'organisations'"
        )
        names = set(connection.execute(text(catalogue)).scalars())
    assert names >= set(ORDER_INDEXES), sorted(names)


CHILDREN_OF_SIGNINGS = "9e41c7b2d6a3"
CHILDREN = (
    "action_plans",
    "monitoring_returns",
    "applications",
    "charter_marks",
    "annual_confirmations",
    "mark_audits",
)


def _children_and_signings(connection) -> dict[str, set[tuple[int, int]]]:
    """Each child table's (own organisation, its signing's organisation) pairs."""
    return {
        name: set(
            connection.execute(
                text(
                    f"SELECT c.organisation_id, s.organisation_id FROM {name} c"
                    " JOIN signings s ON s.id = c.signing_id"
                )
            ).all()
        )
        for name in CHILDREN
    }


def _count(connection, table: str) -> int:
    return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()


@pytest.mark.usefixtures("empty_database_app")
def test_plans_returns_applications_marks_confirmations_and_audits_take_their_signing(tmp_path):
    """On the demo's data: down to before the column, one organisation's signing removed, and
    up again: every row names a signing of its own organisation, and the organisation that had
    lost its signing has one again."""
    demo_at_head(tmp_path)
    with db.engine.connect() as connection:
        counts = {name: _count(connection, name) for name in CHILDREN}
        holder = connection.execute(
            text("SELECT organisation_id FROM charter_marks ORDER BY id LIMIT 1")
        ).scalar()
    assert all(counts.values()), counts

    downgrade(revision=SIGNINGS)
    with db.engine.begin() as connection:
        assert "signing_id" not in {
            c["name"] for c in inspect(connection).get_columns("applications")
        }
        connection.execute(text("DELETE FROM signings WHERE organisation_id = :o"), {"o": holder})
    upgrade(revision=CHILDREN_OF_SIGNINGS)

    with db.engine.connect() as connection:
        pairs = _children_and_signings(connection)
        assert {name: _count(connection, name) for name in CHILDREN} == counts
        regained = _count(connection, f"signings WHERE organisation_id = {int(holder)}")
    assert regained == 1
    for name, found in pairs.items():
        assert found and all(own == signed for own, signed in found), name
    assert sum(len(found) for found in pairs.values()) > len(CHILDREN)
