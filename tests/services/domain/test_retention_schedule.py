"""The retention schedule is data, and the privacy notice is rendered from it."""

from __future__ import annotations

import html as html_lib
from datetime import date

import pytest

from charter.services.domain import retention_schedule


def _page(client) -> str:
    return html_lib.unescape(client.get("/privacy").get_data(as_text=True))


def test_every_kind_the_job_counts_has_a_rule(app):
    with app.app_context():
        kinds = {rule.kind for rule in retention_schedule.schedule() if rule.by_the_job}
    assert kinds == set(retention_schedule.JOB_KINDS)


def test_the_privacy_notice_lists_every_rule(app, client):
    page = _page(client)
    with app.app_context():
        for rule in retention_schedule.schedule():
            assert rule.records in page
            assert f"Kept {rule.kept}." in page
    assert "then 6 years after it leaves the charter" in page
    assert "Server logs" in page and "90 days" in page


def test_changing_a_period_changes_the_privacy_notice(app, client):
    app.config["RETENTION_ORGANISATION_YEARS"] = 8
    app.config["RETENTION_OUTBOX_DAYS"] = 30
    page = _page(client)
    assert "then 8 years after it leaves the charter" in page
    assert "6 years" not in page
    assert "for 30 days after they are delivered" in page
    with app.app_context():
        rule = retention_schedule.rule(retention_schedule.ORGANISATION_RECORDS)
    assert rule.started_before(date(2034, 3, 1)) == date(2026, 3, 1)


def test_days_count_back_from_today(app):
    app.config["RETENTION_OUTBOX_DAYS"] = 1
    with app.app_context():
        rule = retention_schedule.rule(retention_schedule.OUTBOX_EMAILS)
    assert rule.kept.startswith("for 1 day after")
    assert rule.started_before(date(2027, 1, 1)) == date(2026, 12, 31)


@pytest.mark.parametrize("value", [-1, "6", 2.5, True])
def test_a_period_that_is_not_a_whole_number_is_refused(app, value):
    app.config["RETENTION_ORGANISATION_YEARS"] = value
    with app.app_context(), pytest.raises(ValueError, match="RETENTION_ORGANISATION_YEARS"):
        retention_schedule.schedule()
