"""The data migration of issue 18: stored names and titles lose their invisible characters;
one left without two letters or digits becomes a visible placeholder, and a commissioner name
that would then clash with another gets its id. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    # SQLite's batch mode reflects the table, and cannot reflect the register's lower(name) index.
]

BEFORE = "73c8e9bcf287"
CLEANING = "f27cd3836fe7"
AT = "2026-01-01 10:00:00"

ORGANISATION = (
    "INSERT INTO organisations (id, slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at) VALUES (:id, :slug, :name, 'business', 'small', 'Construction', '1 High St',"
    " 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH', 'registered', 1, :at, :at)"
)
USER = (
    "INSERT INTO users (id, email, full_name, password_hash, role, created_at,"
    " password_changed_at) VALUES (:id, :email, :name, 'x', 'member', :at, :at)"
)
COMMISSIONER = (
    "INSERT INTO commissioners (id, name, is_active, created_at) VALUES (:id, :name, true, :at)"
)
CONTRACT = (
    "INSERT INTO contracts (id, organisation_id, commissioner_id, title, value, start_date,"
    " end_date, created_at, confirmation_status, version_id) VALUES (:id, 1, 1, :title, 1000,"
    " '2026-04-01', '2027-03-31', :at, 'unconfirmed', 1)"
)

ZWSP, RLO, BOM = "\u200b", "\u202e", "\ufeff"


def _seed(connection) -> None:
    organisations = [
        (1, "plain", "Ludlow Bakery"),
        (2, "invisible", ZWSP * 3),
        (3, "spaced", f"  Severn{ZWSP} \t Valley{BOM}  Builders "),
        (4, "decomposed", "Cafe\u0301 Ole"),  # e + combining acute: NFC makes one é
    ]
    for org_id, slug, name in organisations:
        connection.execute(text(ORGANISATION), {"id": org_id, "slug": slug, "name": name, "at": AT})
    for user_id, name in [(1, "Ann Jones"), (2, f"{RLO}senoJ nnA"), (3, "\u3164\u3164")]:
        connection.execute(
            text(USER), {"id": user_id, "email": f"u{user_id}@example.com", "name": name, "at": AT}
        )
    commissioners = [(1, "Shropshire Council"), (2, f"Shropshire{ZWSP} Council"), (3, ZWSP)]
    for commissioner_id, name in commissioners:
        connection.execute(text(COMMISSIONER), {"id": commissioner_id, "name": name, "at": AT})
    for contract_id, title in [(1, "Highways"), (2, ZWSP), (3, "Meals\u2066 on wheels\u2069")]:
        connection.execute(text(CONTRACT), {"id": contract_id, "title": title, "at": AT})


def _column(connection, table: str, column: str) -> dict:
    return dict(connection.execute(text(f"SELECT id, {column} FROM {table}")).all())


@pytest.mark.usefixtures("empty_database_app")
def test_names_and_titles_are_cleaned_and_blank_ones_get_a_visible_placeholder():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)

    upgrade(revision=CLEANING)

    with db.engine.connect() as connection:
        assert _column(connection, "organisations", "name") == {
            1: "Ludlow Bakery",
            2: "Unnamed organisation 2",
            3: "Severn Valley Builders",
            4: "Caf\u00e9 Ole",
        }
        assert _column(connection, "users", "full_name") == {
            1: "Ann Jones",
            2: "senoJ nnA",
            3: "Unnamed person 3",
        }
        assert _column(connection, "commissioners", "name") == {
            1: "Shropshire Council",
            2: "Shropshire Council (2)",
            3: "Unnamed commissioner 3",
        }
        assert _column(connection, "contracts", "title") == {
            1: "Highways",
            2: "Unnamed contract 2",
            3: "Meals on wheels",
        }


DIRECTIONS = "fd7459915a1d"
SCHEME = (
    "INSERT INTO schemes (id, slug, version, name, area, summary, is_current, content_hash,"
    " loaded_at, districts, sectors, monitoring_period_months, return_due_days,"
    " reminder_days_before_due, grace_period_days, min_verified_returns, award_all_core_met,"
    " award_min_share_met, validity_months, renewal_window_days, reapply_wait_days,"
    " appeal_window_days, moderation_required, require_confirmed_contract,"
    " require_endorsed_figures, disclosure_min_organisations) VALUES (1, 's', 1, 'S', 'A', '',"
    " true, 'h', :at, '[]', '[]', 3, 30, 7, 60, 2, true, 75, 24, 90, 90, 28, false, true, 0, 3)"
)
MEASURE = (
    "INSERT INTO measures (id, scheme_id, code, title, unit, is_core, evidence_guidance,"
    " position, reporting) VALUES (1, 1, 'LE4', 'Jobs', 'FTE', true, '', 0, 'per_contract')"
)


@pytest.mark.usefixtures("empty_database_app")
def test_schemes_and_measures_loaded_before_get_the_default_rules_and_come_back_down():
    upgrade(revision=CLEANING)
    with db.engine.begin() as connection:
        connection.execute(text(SCHEME), {"at": AT})
        connection.execute(text(MEASURE))

    upgrade(revision=DIRECTIONS)

    with db.engine.connect() as connection:
        rules = connection.execute(
            text(
                "SELECT contract_earliest_start, contract_end_years_ahead, contract_max_value"
                " FROM schemes"
            )
        ).one()
        direction = connection.execute(
            text("SELECT better, allow_backwards_with_reason FROM measures")
        ).one()
    assert (str(rules[0]), rules[1], int(rules[2])) == ("2000-01-01", 15, 10_000_000_000)
    assert (direction[0], bool(direction[1])) == ("higher", False)

    downgrade(revision=CLEANING)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT code FROM measures")).scalar() == "LE4"
