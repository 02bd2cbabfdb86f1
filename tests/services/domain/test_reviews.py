"""The scheduled reviews: each job on its boundary dates, idempotence, skipping a stale
organisation, the JobRun record and, on PostgreSQL, exclusion by the advisory lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from threading import Barrier

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from charter.extensions import db
from charter.models import ActionPlan, AuditEvent, MonitoringReturn, Signing
from charter.models.assessment import CharterMark
from charter.models.schedule import JobRun, ScheduledNotice
from charter.services.domain import reviews
from config import TestConfig
from tests.factories import make_approved_plan, make_mark, make_organisation, make_user, set_stage
from tests.services.domain.review_helpers import (
    TARGETS,
    emails_to,
    fresh,
    monitored,
    open_return,
    triggers,
)

ON_POSTGRESQL = make_url(TestConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() == "postgresql"
TODAY = date(2026, 6, 1)


# --- opening monitoring periods -----------------------------------------------------------------


def test_open_monitoring_periods_opens_each_ended_period_once(app, organisation, scheme):
    monitored(organisation, scheme)
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.organisation_id == organisation.id)
    )
    plan.decided_at = datetime(2026, 1, 15, 10, 0)
    db.session.commit()

    first = reviews.open_monitoring_periods(date(2026, 7, 1))
    second = reviews.open_monitoring_periods(date(2026, 7, 1))

    assert first["returns_opened"] == 2  # January to March, April to June
    assert second["returns_opened"] == 0
    starts = db.session.scalars(
        select(MonitoringReturn.period_start).order_by(MonitoringReturn.period_start)
    ).all()
    assert starts == [date(2026, 1, 1), date(2026, 4, 1)]


def test_open_monitoring_periods_ignores_organisations_not_monitored(app, organisation, scheme):
    monitored(organisation, scheme, status="lapsed")
    assert reviews.open_monitoring_periods(date(2026, 7, 1))["organisations_checked"] == 0


# --- reminders ----------------------------------------------------------------------------------


def test_reminder_for_a_return_due_in_exactly_the_reminder_window(
    app, organisation, scheme, member
):
    measures = monitored(organisation, scheme)
    window = scheme.reminder_days_before_due
    due_in_window = open_return(organisation, measures, TODAY + timedelta(days=window), 1)
    open_return(organisation, measures, TODAY + timedelta(days=window + 1), 2)

    counts = reviews.remind_returns_due(TODAY)

    assert counts == {"due_soon_sent": 1, "overdue_sent": 0, "skipped": 0}
    notices = db.session.scalars(select(ScheduledNotice)).all()
    assert [(n.kind, n.subject_key) for n in notices] == [
        ("return_due_soon", f"return:{due_in_window.id}")
    ]
    [email] = emails_to(member, "is due on")
    assert "1 January to 22 March 2026" in email.body  # the return's period
    assert f"/returns/{due_in_window.id}" in email.body


def test_overdue_reminder_once_and_only_after_the_due_date(app, organisation, scheme, member):
    measures = monitored(organisation, scheme)
    due_today = open_return(organisation, measures, TODAY, 1)
    overdue = open_return(organisation, measures, TODAY - timedelta(days=1), 2)

    first = reviews.remind_returns_due(TODAY)
    second = reviews.remind_returns_due(TODAY)

    assert first == {"due_soon_sent": 1, "overdue_sent": 1, "skipped": 0}
    assert second == {"due_soon_sent": 0, "overdue_sent": 0, "skipped": 0}
    keys = set(db.session.execute(select(ScheduledNotice.kind, ScheduledNotice.subject_key)))
    assert keys == {
        ("return_due_soon", f"return:{due_today.id}"),
        ("return_overdue", f"return:{overdue.id}"),
    }
    [email] = emails_to(member, "overdue")
    assert "will lapse" in email.body


def test_no_reminder_for_a_sent_return(app, organisation, scheme, member):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, TODAY - timedelta(days=3), status="submitted")
    assert reviews.remind_returns_due(TODAY)["overdue_sent"] == 0
    assert emails_to(member) == []


# --- lapsing ------------------------------------------------------------------------------------


def test_lapse_only_after_more_than_the_grace_period(app, organisation, scheme, member):
    measures = monitored(organisation, scheme)
    due = date(2026, 4, 30)
    open_return(organisation, measures, due)
    grace = scheme.grace_period_days

    assert reviews.lapse_overdue(due + timedelta(days=grace))["lapsed"] == 0
    assert fresh(organisation).status == "monitoring"

    first = reviews.lapse_overdue(due + timedelta(days=grace + 1))
    second = reviews.lapse_overdue(due + timedelta(days=grace + 1))

    assert (first["lapsed"], second["lapsed"]) == (1, 0)
    assert fresh(organisation).status == "lapsed"
    assert triggers(organisation) == ["lapse"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "lapse"))
    assert event.actor_label == "Scheduled review"
    assert "1 January to 22 March 2026" in event.reason
    assert len(emails_to(member, "has lapsed")) == 1


def test_a_return_sent_once_does_not_lapse_the_organisation(app, organisation, scheme):
    measures = monitored(organisation, scheme)
    open_return(
        organisation,
        measures,
        date(2026, 1, 1),
        status="queried",
        first_submitted_at=datetime(2025, 12, 20),
    )
    assert reviews.lapse_overdue(TODAY)["lapsed"] == 0
    assert fresh(organisation).status == "monitoring"


def test_a_stale_organisation_is_skipped_and_the_run_carries_on(
    app, organisation, scheme, monkeypatch
):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, date(2026, 1, 1))
    other = make_organisation(owner=make_user(), scheme=scheme, status="monitoring")
    open_return(other, make_approved_plan(other, scheme, TARGETS), date(2026, 1, 1))
    real_transition = reviews.returns_jobs.transition

    def racing_transition(org, trigger, actor, **kwargs):
        if org.id == organisation.id:
            # Someone else changes the organisation between our read and our commit.
            db.session.execute(
                update(Signing)
                .where(Signing.organisation_id == org.id)
                .values(version_id=Signing.version_id + 1)
                .execution_options(synchronize_session=False)
            )
        return real_transition(org, trigger, actor, **kwargs)

    monkeypatch.setattr(reviews.returns_jobs, "transition", racing_transition)

    counts = reviews.lapse_overdue(TODAY)

    assert counts == {"lapsed": 1, "skipped": 1}
    assert fresh(organisation).status == "monitoring"
    assert triggers(organisation) == []
    assert fresh(other).status == "lapsed"


# --- renewal windows and expiry -----------------------------------------------------------------


def test_renewal_window_opens_on_its_first_day_once(app, organisation, scheme, member):
    set_stage(organisation, "accredited")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2025, 1, 10))
    opens = mark.expires_on - timedelta(days=scheme.renewal_window_days)

    assert reviews.open_renewal_windows(opens - timedelta(days=1))["renewals_opened"] == 0
    assert fresh(organisation).mark_status == "accredited"

    first = reviews.open_renewal_windows(opens)
    second = reviews.open_renewal_windows(opens)

    assert (first["renewals_opened"], second["renewals_opened"]) == (1, 0)
    assert fresh(organisation).mark_status == "renewal_due"
    assert triggers(organisation) == ["open_renewal"]
    [email] = emails_to(member, "renew your Charter Mark")
    assert mark.certificate_number in email.body
    body = " ".join(email.body.split())
    expires = f"{mark.expires_on.day} {mark.expires_on:%B %Y}"
    assert f"a renewal awarded before {expires} keeps the Charter Mark without a break" in body
    # An expired Mark leaves the organisation a signatory (the register says so): no "lapse".
    assert "stays a charter signatory" in body
    assert "lapse" not in body


def test_mark_expires_the_day_after_its_expiry_date(app, organisation, scheme, member):
    set_stage(organisation, "renewal_due")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2024, 3, 1))

    assert reviews.expire_marks(mark.expires_on)["expired"] == 0
    assert fresh(organisation).mark_status == "renewal_due"

    first = reviews.expire_marks(mark.expires_on + timedelta(days=1))
    second = reviews.expire_marks(mark.expires_on + timedelta(days=1))

    assert (first["expired"], second["expired"]) == (1, 0)
    # Still a charter signatory: only the Mark has ended.
    assert fresh(organisation).status == "monitoring"
    expired = db.session.get(CharterMark, mark.id)
    assert expired.status == "expired"
    assert expired.status_changed_at is not None
    assert triggers(organisation) == ["expire_mark"]
    assert len(emails_to(member, "has expired")) == 1


def test_an_accredited_organisation_whose_window_never_opened_goes_through_both_steps(
    app, organisation, scheme
):
    set_stage(organisation, "accredited")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2024, 3, 1))

    assert reviews.expire_marks(mark.expires_on + timedelta(days=5))["expired"] == 1

    assert fresh(organisation).status == "monitoring"
    assert triggers(organisation) == ["open_renewal", "expire_mark"]


def test_a_mark_expiring_while_its_renewal_is_assessed_is_recorded_with_its_date(
    app, organisation, scheme
):
    set_stage(organisation, "under_assessment")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2024, 3, 1))

    assert reviews.expire_marks(mark.expires_on + timedelta(days=1))["expired"] == 1

    # The assessment goes on; the public record has the expiry, dated.
    assert fresh(organisation).mark_status == "under_assessment"
    assert db.session.get(CharterMark, mark.id).status == "expired"
    assert triggers(organisation) == ["expire_mark"]
    assert reviews.expire_marks(mark.expires_on + timedelta(days=2))["expired"] == 0
    assert triggers(organisation) == ["expire_mark"]


def test_an_expired_mark_does_not_open_a_renewal_window(app, organisation, scheme):
    set_stage(organisation, "accredited")
    db.session.commit()
    mark = make_mark(organisation, scheme, awarded_on=date(2024, 3, 1))
    assert reviews.open_renewal_windows(mark.expires_on + timedelta(days=1))["renewals_opened"] == 0


# --- running and recording ----------------------------------------------------------------------


def test_run_all_records_a_job_run_for_each_job(app, organisation, scheme):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, date(2026, 1, 1))

    results = reviews.run_all(TODAY)

    assert list(results) == list(reviews.JOBS)
    assert results["lapse_overdue"]["lapsed"] == 1
    runs = db.session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [r.job for r in runs] == list(reviews.JOBS)
    assert all(r.status == "ok" and r.run_for == TODAY and r.finished_at for r in runs)
    by_job = {r.job: r.summary for r in runs}
    assert by_job["lapse_overdue"] == {"lapsed": 1, "skipped": 0}


def test_run_all_twice_does_everything_once(app, organisation, scheme, member):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, date(2026, 1, 1))

    reviews.run_all(TODAY)
    emails = len(emails_to(member))
    again = reviews.run_all(TODAY)

    assert all(
        value == 0
        for counts in again.values()
        for key, value in counts.items()
        if key != "organisations_checked"
    )
    assert len(emails_to(member)) == emails
    assert triggers(fresh(organisation)) == ["lapse"]


def test_a_failing_job_is_recorded_and_the_others_still_run(app, monkeypatch):
    def broken(today):
        raise RuntimeError("database went away")

    monkeypatch.setitem(reviews.JOBS, "remind_returns_due", broken)

    results = reviews.run_all(TODAY)

    assert results["remind_returns_due"] == {"error": "RuntimeError: database went away"}
    statuses = dict(db.session.execute(select(JobRun.job, JobRun.status)).all())
    assert statuses["remind_returns_due"] == "failed"
    assert statuses["expire_marks"] == "ok"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the advisory lock is PostgreSQL's")
def test_a_second_run_while_the_lock_is_held_does_nothing(app, organisation, scheme):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, date(2026, 1, 1))
    with db.engine.connect() as other_process:
        held = other_process.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": reviews.ADVISORY_LOCK_KEY}
        ).scalar()
        other_process.commit()
        assert held
        try:
            assert reviews.run_all(TODAY) == {"skipped": "another run is in progress"}
            assert reviews.run_job("lapse_overdue", TODAY) == reviews.SKIPPED_RUN
        finally:
            other_process.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": reviews.ADVISORY_LOCK_KEY}
            )
            other_process.commit()

    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 0
    assert fresh(organisation).status == "monitoring"
    # Released: the next run goes ahead.
    assert reviews.run_all(TODAY)["lapse_overdue"]["lapsed"] == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs two real database sessions at once")
def test_two_processes_running_the_same_jobs_at_once_act_once(app, organisation, scheme, member):
    measures = monitored(organisation, scheme)
    open_return(organisation, measures, date(2026, 1, 1), 1)
    open_return(organisation, measures, TODAY + timedelta(days=2), 2)
    start_together = Barrier(2)

    def one_process(_):
        with app.app_context():  # a session of its own, as in another process
            start_together.wait()
            reminded = reviews.remind_returns_due(TODAY)
            lapsed = reviews.lapse_overdue(TODAY)
            return reminded, lapsed

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one_process, range(2)))

    assert sum(r["due_soon_sent"] + r["overdue_sent"] for r, _ in results) == 2
    assert sum(lapsed["lapsed"] for _, lapsed in results) == 1
    assert triggers(fresh(organisation)) == ["lapse"]
    assert db.session.scalar(select(func.count()).select_from(ScheduledNotice)) == 3
