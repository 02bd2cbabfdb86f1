"""The administrators' page of recent scheduled review runs."""

from __future__ import annotations

from datetime import date

import pytest

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.schedule import JobRun
from tests.factories import make_organisation, make_user, sign_in

URL = "/admin/job-runs"


def record_run(job="lapse_overdue", status="ok", summary=None) -> JobRun:
    run = JobRun(
        job=job,
        run_for=date(2026, 6, 1),
        status=status,
        summary=summary if summary is not None else {"lapsed": 2, "skipped": 0},
        finished_at=utcnow(),
    )
    db.session.add(run)
    db.session.commit()
    return run


@pytest.mark.parametrize(
    ("who", "expected"),
    # The service's page (charter/admin/scope.py): staff who are not service administrators,
    # a charter's administrator included, are told nothing of it.
    [
        ("anonymous", 302),
        ("member", 403),
        ("assessor", 404),
        ("administrator", 404),
        ("admin", 200),
    ],
)
def test_permission_matrix(app, scheme, who, expected):
    record_run()
    client = app.test_client()
    if who != "anonymous":
        user = make_user(role="member" if who == "member" else who)
        if who == "member":
            make_organisation(owner=user, scheme=scheme)
        sign_in(client, user.email)

    response = client.get(URL)

    assert response.status_code == expected
    if who == "anonymous":
        assert "/sign-in" in response.headers["Location"]


def test_lists_recent_runs_newest_first(admin_client):
    record_run("expire_marks", summary={"expired": 1, "skipped": 0})
    record_run("remind_returns_due", status="failed", summary={"error": "RuntimeError: boom"})

    page = admin_client.get(URL).get_data(as_text=True)

    assert page.index("Remind returns due") < page.index("Expire marks")
    assert "expired: 1, skipped: 0" in page
    assert "RuntimeError: boom" in page
    assert "Failed" in page
    assert "1 June 2026" in page


def test_says_when_nothing_has_run(admin_client):
    page = admin_client.get(URL).get_data(as_text=True)
    assert "have not run yet" in page


def test_dashboard_links_to_the_page(admin_client):
    assert URL in admin_client.get("/admin/").get_data(as_text=True)
