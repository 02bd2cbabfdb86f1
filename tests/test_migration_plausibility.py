"""The migration of the plausibility work (5be71c0d94fa): return lines gain their flag columns,
schemes their [plausibility] thresholds with defaults, and figures already given are flagged by
the same rules: a per-contract money figure above its contract's value for the period (pro
rata by days) and FTE above the organisation's size band. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)
from tests.test_migration_certificates import MEASURE, ORGANISATION, SCHEME

pytestmark = [
    pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning"),
    # SQLite's batch mode copies return_lines, reflecting the tables it refers to.
]

BEFORE = "5e2b9c71d4a8"
PLAUSIBILITY = "5be71c0d94fa"
COMMISSIONER = (
    "INSERT INTO commissioners (id, name, is_active, created_at) VALUES (1, 'Council', :yes, :now)"
)
CONTRACT = (
    "INSERT INTO contracts (id, organisation_id, commissioner_id, title, value, start_date,"
    " end_date, created_at, confirmation_status, version_id) VALUES (:id, 1, 1, :title, :value,"
    " :start, :end, :now, 'confirmed', 1)"
)
RETURN = (
    "INSERT INTO monitoring_returns (id, organisation_id, period_start, period_end, due_date,"
    " status, is_retrospective, is_late, created_at, version_id) VALUES (1, 1, :start, :end,"
    " :due, 'verified', :no, :no, :now, 1)"
)
LINE = (
    "INSERT INTO return_lines (id, return_id, measure_id, actual_value, review_status)"
    " VALUES (:id, 1, :measure, :value, 'accepted')"
)
FIGURE = (
    "INSERT INTO contract_figures (return_line_id, contract_id, value, endorsement_status)"
    " VALUES (:line, :contract, :value, 'not_endorsed')"
)


def _seed(connection) -> None:
    run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
    now = datetime(2026, 1, 1)
    run(SCHEME, id=1, slug="supporting-the-local-economy", yes=True, no=False, now=now)
    for measure_id, code, unit in ((1, "LE1", "GBP"), (2, "LE4", "FTE"), (3, "LE2", "GBP")):
        run(MEASURE, id=measure_id, code=code, unit=unit, yes=True, proxy=None)
    connection.execute(text("UPDATE measures SET reporting = 'per_contract'"))
    run(ORGANISATION, now=now)  # a small organisation
    run(COMMISSIONER, yes=True, now=now)
    # £36,500 over 365 days: £9,000 for the 90 days of January to March 2026.
    run(CONTRACT, id=1, title="Road gritting", value="36500", start=date(2026, 1, 1),
        end=date(2026, 12, 31), now=now)  # fmt: skip
    run(RETURN, start=date(2026, 1, 1), end=date(2026, 3, 31), due=date(2026, 4, 30), no=False,
        now=now)  # fmt: skip
    run(LINE, id=1, measure=1, value="999999999999.00")  # LE1: far above the contract
    run(LINE, id=2, measure=2, value="60.00")  # LE4: 60 FTE in a small organisation
    run(LINE, id=3, measure=3, value="9000.00")  # LE2: exactly the contract's share
    run(FIGURE, line=1, contract=1, value="999999999999.00")
    run(FIGURE, line=3, contract=1, value="9000.00")
    run(FIGURE, line=2, contract=1, value="60.00")


@pytest.mark.usefixtures("empty_database_app")
def test_existing_figures_out_of_line_are_flagged_and_schemes_get_the_defaults():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)

    upgrade(revision=PLAUSIBILITY)

    with db.engine.connect() as connection:
        lines = dict(connection.execute(text("SELECT id, flag_reasons FROM return_lines")).all())
        scheme = connection.execute(
            text(
                "SELECT plausibility_contract_share, plausibility_size_band,"
                " plausibility_median_multiple FROM schemes"
            )
        ).one()
    reasons = {k: v if not isinstance(v, str) else json.loads(v) for k, v in lines.items()}
    assert reasons[1] == [
        "£999,999,999,999 for Road gritting is more than the contract's value for the period "
        "(£9,000: £36,500 pro rata)"
    ]
    assert reasons[2] == [
        "60 FTE is more than an organisation of its size (small (10 to 49 employees)) can employ"
    ]
    assert reasons[3] is None
    assert (float(scheme[0]), bool(scheme[1]), float(scheme[2])) == (100.0, True, 10.0)

    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        columns = connection.execute(text("SELECT * FROM return_lines")).keys()
    assert "flag_reasons" not in columns
