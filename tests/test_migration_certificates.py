"""The migration of the certificates work: schemes name their issuer (the default scheme's
existing versions get the one its file names) and renew from the old expiry; application
snapshots gain the proxy values that were in force on the day they were taken. SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from charter.extensions import db
from tests.migration_helpers import empty_database_app, keep_logging  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")

BEFORE = "c4e8a1f07b36"
CERTIFICATES = "73c8e9bcf287"
SCHEME = (
    "INSERT INTO schemes (id, slug, version, name, area, summary, is_current, content_hash,"
    " loaded_at, districts, sectors, monitoring_period_months, return_due_days,"
    " reminder_days_before_due, grace_period_days, min_verified_returns, award_all_core_met,"
    " award_min_share_met, validity_months, renewal_window_days, reapply_wait_days,"
    " appeal_window_days, moderation_required) VALUES (:id, :slug, 1, 'A scheme', 'Shropshire',"
    " 'A scheme', :yes, 'x', :now, '[]', '[]', 3, 30, 7, 60, 2, :yes, 75, 24, 90, 90, 28, :no)"
)
MEASURE = (
    "INSERT INTO measures (id, scheme_id, code, title, unit, is_core, evidence_guidance,"
    " position, proxy_value) VALUES (:id, 1, :code, :code, :unit, :yes, 'Evidence', :id, :proxy)"
)
PROXY = (
    "INSERT INTO proxy_values (scheme_slug, measure_code, value, effective_from, set_at)"
    " VALUES ('supporting-the-local-economy', :code, :value, :since, :now)"
)
ORGANISATION = (
    "INSERT INTO organisations (id, slug, name, organisation_type, size, sector, address_line_1,"
    " town, postcode, district, identifier_scheme, status, version_id, status_changed_at,"
    " created_at) VALUES (1, 'severn', 'Severn Ltd', 'business', 'small', 'Construction',"
    " '1 High St', 'Shrewsbury', 'SY1 1AA', 'Shrewsbury', 'GB-COH', 'under_assessment', 1,"
    " :now, :now)"
)
APPLICATION = (
    "INSERT INTO applications (id, organisation_id, scheme_id, is_renewal, status, submitted_at,"
    " snapshot, version_id) VALUES (:id, 1, 1, :no, 'open', :now, :snapshot, 1)"
)
LE1_RECORDED = {
    "measure_id": 1,
    "code": "LE1",
    "proxy_value": "0.30",
    "achieved": "60",
    "social_value": "18.00",
}


def _snapshot(taken_at: str | None, proxy_values: list[dict]) -> str:
    progress = [
        {"measure_id": 1, "code": "LE1", "achieved": "60"},
        {"measure_id": 2, "code": "LE4", "achieved": "12.5"},
        {"measure_id": 3, "code": "LE8", "achieved": "85"},
    ]
    snapshot = {"progress": progress, "proxy_values": proxy_values}
    if taken_at:
        snapshot["taken_at"] = taken_at
    return json.dumps(snapshot)


def _seed(connection) -> None:
    run = lambda sql, **params: connection.execute(text(sql), params)  # noqa: E731
    now = datetime(2026, 1, 1)
    run(SCHEME, id=1, slug="supporting-the-local-economy", yes=True, no=False, now=now)
    run(SCHEME, id=2, slug="another-charter", yes=True, no=False, now=now)
    for measure_id, code, unit, proxy in (
        (1, "LE1", "GBP", "0.30"),
        (2, "LE4", "FTE", None),
        (3, "LE8", "percent", "10.00"),  # the scheme's own value: no history
    ):
        run(MEASURE, id=measure_id, code=code, unit=unit, yes=True, proxy=proxy)
    for value, since in (("12000", date(2026, 1, 1)), ("14500", date(2026, 6, 1))):
        run(PROXY, code="LE4", value=value, since=since, now=now)
    run(ORGANISATION, now=now)
    # Taken on 3 March (LE4 at £12,000), on 2 July (£14,500), and one with no date taken but
    # submitted on 1 January; the second already recorded LE1.
    for application_id, taken_at, recorded in (
        (1, "2026-03-03T09:00:00", []),
        (2, "2026-07-02T09:00:00", [LE1_RECORDED]),
        (3, None, []),
    ):
        run(
            APPLICATION,
            id=application_id,
            no=False,
            now=now,
            snapshot=_snapshot(taken_at, recorded),
        )
    run(APPLICATION, id=4, no=False, now=now, snapshot=json.dumps({}))


@pytest.mark.usefixtures("empty_database_app")
def test_issuer_renewal_setting_and_proxy_values_in_snapshots():
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        _seed(connection)

    upgrade(revision=CERTIFICATES)

    with db.engine.connect() as connection:
        schemes = connection.execute(
            text(
                "SELECT slug, issuer_name, issuer_members, renewal_runs_from_expiry FROM schemes"
                " ORDER BY id"
            )
        ).all()
        raw = dict(connection.execute(text("SELECT id, snapshot FROM applications")).all())
    snapshots = {k: v if isinstance(v, dict) else json.loads(v) for k, v in raw.items()}
    assert [tuple(row) for row in schemes] == [
        (
            "supporting-the-local-economy",
            "Social Value Group",
            "representatives from the Local Authority, Health, Police & Crime Commissioner's "
            "Office, Housing and the Voluntary & Community Sector",
            True,
        ),
        ("another-charter", "", None, True),
    ]

    def recorded(application_id: int) -> dict[str, tuple]:
        return {
            row["code"]: (row["proxy_value"], row.get("in_force_on"), row["social_value"])
            for row in snapshots[application_id]["proxy_values"]
        }

    assert recorded(1) == {
        "LE1": ("0.30", "2026-03-03", "18.00"),
        "LE4": ("12000.00", "2026-03-03", "150000.00"),
        "LE8": ("10.00", "2026-03-03", "850.00"),
    }
    # What was recorded stays as it was; LE4 gains the value in force on 2 July.
    assert snapshots[2]["proxy_values"][0] == LE1_RECORDED
    assert recorded(2)["LE4"] == ("14500.00", "2026-07-02", "181250.00")
    assert recorded(3)["LE4"] == ("12000.00", "2026-01-01", "150000.00")
    assert snapshots[1]["progress"][1] == {"measure_id": 2, "code": "LE4", "achieved": "12.5"}
    assert snapshots[4] == {}
