"""The migration that gives a signing two lifecycles (e7b3c1f5a2d8, issue 20): the signatory's
duties stay in ``status`` and the Charter Mark's state moves to ``mark_status``. On the demo's
data, down to before it every signing has one state again (a holder whose renewal is under
assessment reads "under assessment", as it did), and up again every signing has the same two
states it had. The rule itself, for every old state, is a table. SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from charter.extensions import db
from tests.migration_helpers import (  # noqa: F401  (fixtures)
    demo_at_head,
    empty_database_app,
    keep_logging,
)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "d4e7a2c9b153"
migration = importlib.import_module("migrations.versions.e7b3c1f5a2d8_two_lifecycles")
TODAY = date(2026, 12, 7)
IN_DATE, PAST = date(2027, 6, 1), date(2026, 1, 1)


@pytest.mark.parametrize(
    ("old", "before", "mark_row", "expires_on", "split"),
    [
        ("registered", None, None, None, ("registered", None, "no_mark")),
        ("monitoring", None, None, None, ("monitoring", None, "no_mark")),
        ("under_assessment", None, None, None, ("monitoring", None, "under_assessment")),
        # An application while a Mark is in force is its renewal: the Mark is held meanwhile.
        (
            "under_assessment",
            None,
            "valid",
            IN_DATE,
            ("monitoring", None, "renewal_under_assessment"),
        ),
        (
            "information_requested",
            None,
            "valid",
            IN_DATE,
            ("monitoring", None, "renewal_information_requested"),
        ),
        ("accredited", None, "valid", IN_DATE, ("monitoring", None, "accredited")),
        ("renewal_due", None, "valid", IN_DATE, ("monitoring", None, "renewal_due")),
        ("mark_suspended", None, "suspended", IN_DATE, ("monitoring", None, "mark_suspended")),
        # A refused renewal left "monitoring" with the Mark still in force: held.
        ("monitoring", None, "valid", IN_DATE, ("monitoring", None, "accredited")),
        ("monitoring", None, "expired", PAST, ("monitoring", None, "mark_expired")),
        ("monitoring", None, "valid", PAST, ("monitoring", None, "mark_expired")),
        ("monitoring", None, "revoked", IN_DATE, ("monitoring", None, "mark_revoked")),
        ("lapsed", None, "expired", PAST, ("lapsed", None, "mark_expired")),
        # An administrator's suspension: the duties remember monitoring, the Mark its state.
        (
            "suspended",
            "accredited",
            "suspended",
            IN_DATE,
            ("suspended", "monitoring", "accredited"),
        ),
        ("suspended", "signatory", None, None, ("suspended", "signatory", "no_mark")),
        (
            "suspended",
            "mark_suspended",
            "suspended",
            IN_DATE,
            ("suspended", "monitoring", "mark_suspended"),
        ),
    ],
)
def test_each_old_state_splits_in_two_and_folds_back(old, before, mark_row, expires_on, split):
    assert migration.split(old, before, mark_row, expires_on, TODAY) == split
    duties, duties_before, mark = split
    folded = migration.fold(duties, duties_before, mark)
    expected = (old, before)
    if old == "monitoring" and mark == "accredited":
        expected = ("accredited", None)  # its Mark in force: a holder, as the register said
    assert folded == expected


def _states(connection) -> dict[int, tuple]:
    rows = connection.execute(
        text("SELECT id, status, status_before_suspension, mark_status FROM signings")
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.usefixtures("empty_database_app")
def test_the_demo_s_signings_keep_their_two_states_down_and_up_again(tmp_path):
    demo_at_head(tmp_path)
    with db.engine.connect() as connection:
        at_head = _states(connection)
    marks = {mark for _, _, mark in at_head.values()}
    # The demo holds, renews, suspends and applies: the Mark's states are many.
    assert {"accredited", "renewal_due", "renewal_under_assessment", "mark_suspended"} <= marks
    assert {"under_assessment", "information_requested", "no_mark"} <= marks
    assert {duties for duties, _, _ in at_head.values()} <= {
        "registered", "signatory", "plan_submitted", "monitoring", "lapsed", "suspended",
        "withdrawn",
    }  # fmt: skip

    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert "mark_status" not in {c["name"] for c in inspect(connection).get_columns("signings")}
        folded = {
            row[0]: row[1]
            for row in connection.execute(text("SELECT id, status FROM signings")).all()
        }
    renewing = [sid for sid, (_, _, mark) in at_head.items() if mark == "renewal_under_assessment"]
    assert renewing and all(folded[sid] == "under_assessment" for sid in renewing)
    holders = [sid for sid, (duties, _, mark) in at_head.items() if mark == "accredited"]
    assert all(folded[sid] == "accredited" for sid in holders if at_head[sid][0] == "monitoring")

    upgrade()
    with db.engine.connect() as connection:
        assert _states(connection) == at_head
