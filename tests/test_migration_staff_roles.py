"""The migration that puts staff roles in a charter (7c2e5a91d3f0): today's administrators
become administrators of the default charter and service administrators, assessors become
assessors of the default charter, members stay plain accounts; it comes back down to the same
roles and up again. Without a charter, administrators become service administrators only.
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_certificates import SCHEME

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE_CHARTERS = "b3f1c9e2d417"
CHARTERS = "4038404a58b1"
STAFF_ROLES = "7c2e5a91d3f0"
# email -> users.role before the migration
PEOPLE = {
    "priya@council.example": "admin",
    "gareth@council.example": "assessor",
    "helen@council.example": "assessor",
    "olive@supplier.example": "member",
}
USER = (
    "INSERT INTO users (email, full_name, password_hash, role, email_verified_at, created_at,"
    " password_changed_at) VALUES (:email, 'A Person', 'x', :role, :now, :now, :now)"
)


def _add_people(with_scheme: bool) -> None:
    upgrade(revision=BEFORE_CHARTERS)
    now = datetime(2026, 1, 1)
    with db.engine.begin() as connection:
        if with_scheme:
            params = {"id": 1, "slug": "a-scheme", "yes": True, "no": False, "now": now}
            connection.execute(text(SCHEME), params)
        for email, role in PEOPLE.items():
            connection.execute(text(USER), {"email": email, "role": role, "now": now})
    upgrade(revision=CHARTERS)


def _state(connection) -> tuple[dict[str, bool], set[tuple[str, int, str]]]:
    flags = dict(connection.execute(text("SELECT email, service_admin FROM users")).all())
    roles = connection.execute(
        text(
            "SELECT u.email, s.charter_id, s.role FROM staff_roles s"
            " JOIN users u ON u.id = s.user_id WHERE s.removed_at IS NULL"
        )
    ).all()
    return {email: bool(flag) for email, flag in flags.items()}, set(roles)


def _roles_column(connection) -> dict[str, str]:
    return dict(connection.execute(text("SELECT email, role FROM users")).all())


@pytest.mark.usefixtures("empty_database_app")
def test_admins_and_assessors_become_staff_of_the_default_charter_and_come_back_down():
    _add_people(with_scheme=True)
    with db.engine.connect() as connection:
        charter_id = connection.execute(text("SELECT min(id) FROM charters")).scalar()

    upgrade(revision=STAFF_ROLES)

    with db.engine.connect() as connection:
        flags, roles = _state(connection)
        assert "role" not in {c["name"] for c in inspect(connection).get_columns("users")}
    assert flags == {email: role == "admin" for email, role in PEOPLE.items()}
    assert roles == {
        ("priya@council.example", charter_id, "administrator"),
        ("gareth@council.example", charter_id, "assessor"),
        ("helen@council.example", charter_id, "assessor"),
    }
    with db.engine.begin() as connection:
        # After the migration: Helen's role ended, and an open duplicate is refused.
        connection.execute(
            text("UPDATE staff_roles SET removed_at = :now"), {"now": datetime.now()}
        )
        connection.execute(
            text(
                "INSERT INTO staff_roles (user_id, charter_id, role, appointed_at) SELECT id, :c,"
                " :r, :now FROM users WHERE email IN ('priya@council.example',"
                " 'gareth@council.example')"
            ),
            {"c": charter_id, "r": "administrator", "now": datetime.now()},
        )
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff_roles (user_id, charter_id, role, appointed_at) SELECT id, :c,"
                " 'administrator', :now FROM users WHERE email = 'priya@council.example'"
            ),
            {"c": charter_id, "now": datetime.now()},
        )

    downgrade(revision=CHARTERS)
    with db.engine.connect() as connection:
        assert "staff_roles" not in inspect(connection).get_table_names()
        assert "service_admin" not in {c["name"] for c in inspect(connection).get_columns("users")}
        assert _roles_column(connection) == {
            "priya@council.example": "admin",
            "gareth@council.example": "admin",  # an administrator when the migration came down
            "helen@council.example": "member",  # her role had ended
            "olive@supplier.example": "member",
        }

    upgrade(revision=STAFF_ROLES)
    with db.engine.connect() as connection:
        flags, roles = _state(connection)
    assert flags["gareth@council.example"] and not flags["helen@council.example"]
    assert ("gareth@council.example", charter_id, "administrator") in roles


@pytest.mark.usefixtures("empty_database_app")
def test_without_a_charter_administrators_become_service_administrators_only():
    _add_people(with_scheme=False)

    upgrade(revision=STAFF_ROLES)

    with db.engine.connect() as connection:
        flags, roles = _state(connection)
    assert flags == {email: role == "admin" for email, role in PEOPLE.items()}
    assert roles == set()
    downgrade(revision=CHARTERS)
    with db.engine.connect() as connection:
        assert _roles_column(connection)["priya@council.example"] == "admin"
        assert _roles_column(connection)["gareth@council.example"] == "member"
