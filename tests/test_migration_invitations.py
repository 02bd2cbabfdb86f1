"""Issue 19's migration: contract manager invitations move into ``invitations`` beside the
member invitations, which keep their ids; a link emailed before for either kind still opens
its invitation; one target each is enforced; undone, the contract manager invitations move
back with their old ids. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.services.domain import invitation_tokens, invitations
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
]

BEFORE = "84d756153b99"
ONE_TABLE = "b3f1c9e2d417"
SENT = datetime(2026, 12, 1, 9)
ACCEPTED = datetime(2026, 12, 2, 9)
SHARED = "email, invited_by_id, created_at, accepted_at, cancelled_at"
# (id, target id, email, accepted_at, cancelled_at): ids with gaps, as after deletions.
MEMBER_ROWS = [
    (1, 1, "one@example.com", None, None),
    (2, 1, "two@example.com", ACCEPTED, None),
    (5, 1, "five@example.com", None, ACCEPTED),
]
MANAGER_ROWS = [
    (1, 1, "cara@council.example", None, None),
    (2, 2, "dev@council.example", ACCEPTED, None),
    (4, 1, "eve@council.example", None, None),
]


def _when(value):
    """SQLite hands back times as the text it stores (with or without microseconds)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?", value):
        return datetime.fromisoformat(value)
    return value


def _plain(rows) -> list[tuple]:
    return [tuple(_when(value) for value in row) for row in rows]


def _rows(connection, sql: str) -> list[tuple]:
    return _plain(connection.execute(text(sql)))


def _insert_before(connection) -> None:
    run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
    run(
        "INSERT INTO users (id, email, full_name, password_hash, role, created_at,"
        " password_changed_at) VALUES (1, 'olive@example.com', 'Olive Owner', 'x', 'member',"
        " :at, :at)",
        at=SENT,
    )
    run(
        "INSERT INTO organisations (id, slug, name, organisation_type, size, sector,"
        " address_line_1, town, postcode, district, identifier_scheme, status, version_id,"
        " status_changed_at, created_at) VALUES (1, 'acme', 'Acme Ltd', 'business', 'small',"
        " 'Construction', '1 High St', 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH',"
        " 'signatory', 1, :at, :at)",
        at=SENT,
    )
    for commissioner_id, name in ((1, "Shropshire Council"), (2, "Telford Council")):
        run(
            "INSERT INTO commissioners (id, name, is_active, created_at)"
            " VALUES (:id, :name, :yes, :at)",
            id=commissioner_id,
            name=name,
            yes=True,
            at=SENT,
        )
    for table, target in (
        ("invitations", "organisation_id"),
        ("contract_manager_invitations", "commissioner_id"),
    ):
        rows = MEMBER_ROWS if table == "invitations" else MANAGER_ROWS
        for row_id, target_id, email, accepted_at, cancelled_at in rows:
            run(
                f"INSERT INTO {table} (id, {target}, {SHARED}) VALUES (:id, :target, :email, 1,"
                " :sent, :accepted_at, :cancelled_at)",
                id=row_id,
                target=target_id,
                email=email,
                sent=SENT,
                accepted_at=accepted_at,
                cancelled_at=cancelled_at,
            )


def _member_rows(connection) -> list[tuple]:
    return _rows(
        connection,
        "SELECT id, organisation_id, email, accepted_at, cancelled_at FROM invitations"
        " WHERE kind = 'member' ORDER BY id",
    )


@pytest.mark.usefixtures("empty_database_app")
def test_contract_manager_invitations_move_in_and_back_out():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _insert_before(connection)

    upgrade(revision=ONE_TABLE)

    assert "contract_manager_invitations" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as connection:
        assert _member_rows(connection) == _plain(MEMBER_ROWS)
        managers = _rows(
            connection,
            "SELECT id, legacy_id, commissioner_id, organisation_id, email, accepted_at,"
            " cancelled_at, invited_by_id, created_at FROM invitations"
            " WHERE kind = 'contract_manager' ORDER BY id",
        )
    # After the largest member id, in their old order, each with its old id.
    assert managers == _plain(
        (6 + n, old_id, target, None, email, accepted_at, cancelled_at, 1, SENT)
        for n, (old_id, target, email, accepted_at, cancelled_at) in enumerate(MANAGER_ROWS)
    )

    # Links emailed before: a member's names its row's id; a contract manager's its old id.
    # Read through the models, which are the head's: the database goes there first.
    upgrade()
    member_link = invitation_tokens.token_for(SimpleNamespace(id=5), invitations.SALT)
    manager_link = invitation_tokens.token_for(
        SimpleNamespace(id=4), invitations.LEGACY_MANAGER_SALT
    )
    assert invitations.from_token(member_link).email == "five@example.com"
    opened = invitations.from_token(manager_link)
    assert (opened.id, opened.email, opened.target.name) == (
        8,
        "eve@council.example",
        "Shropshire Council",
    )
    db.session.rollback()

    # A new invitation takes the next id (PostgreSQL's sequence goes on after the moved rows;
    # the failed inserts below use up numbers of it).
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO invitations (kind, commissioner_id, email, invited_by_id, created_at)"
                " VALUES ('contract_manager', 2, 'new@council.example', 1, :sent)"
            ),
            {"sent": SENT},
        )
        assert connection.execute(text("SELECT max(id) FROM invitations")).scalar() == 9

    # Exactly one target, the kind's own.
    for kind, organisation_id, commissioner_id in (
        ("member", 1, 1),
        ("member", None, 1),
        ("contract_manager", None, None),
        ("other", 1, None),
    ):
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO invitations (kind, organisation_id, commissioner_id, email,"
                    " invited_by_id, created_at) VALUES (:kind, :org, :com, 'x@example.com', 1,"
                    " :sent)"
                ),
                {"kind": kind, "org": organisation_id, "com": commissioner_id, "sent": SENT},
            )

    downgrade(revision=BEFORE)

    columns = {c["name"]: c for c in inspect(db.engine).get_columns("invitations")}
    assert "kind" not in columns and "commissioner_id" not in columns
    assert columns["organisation_id"]["nullable"] is False
    with db.engine.connect() as connection:
        assert (
            _rows(
                connection,
                "SELECT id, organisation_id, email, accepted_at, cancelled_at FROM invitations"
                " ORDER BY id",
            )
            == MEMBER_ROWS
        )
        back = _rows(
            connection,
            "SELECT id, commissioner_id, email, accepted_at, cancelled_at"
            " FROM contract_manager_invitations ORDER BY id",
        )
    # Their old ids again; the one sent since takes the next.
    assert back == _plain([*MANAGER_ROWS, (5, 2, "new@council.example", None, None)])
