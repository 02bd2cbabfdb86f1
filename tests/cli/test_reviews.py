"""`flask charter run-reviews` (travelling in time) and the scheduler's set-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import Organisation
from charter.models.schedule import JobRun
from charter.scheduler import TIMEZONE, build_scheduler, run_scheduled
from charter.services.domain import reviews
from tests.services.domain.review_helpers import monitored, open_return


def run(app, *args):
    return app.test_cli_runner().invoke(args=["charter", "run-reviews", *args])


def test_travelling_in_time_lapses_an_organisation_with_an_overdue_return(
    app, organisation, scheme
):
    measures = monitored(organisation, scheme)
    due = date(2026, 4, 30)
    open_return(organisation, measures, due)
    lapses_on = due + timedelta(days=scheme.grace_period_days + 1)

    before = run(app, "--today", (lapses_on - timedelta(days=1)).isoformat())
    assert before.exit_code == 0, before.output
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).status == "monitoring"

    result = run(app, "--today", lapses_on.isoformat())

    assert result.exit_code == 0, result.output
    assert f"Scheduled reviews for {lapses_on.isoformat()}:" in result.output
    assert "lapse_overdue: lapsed 1, skipped 0" in result.output
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).status == "lapsed"
    runs = db.session.scalars(select(JobRun).where(JobRun.run_for == lapses_on)).all()
    assert len(runs) == len(reviews.JOBS)


def test_one_job_by_name(app, organisation, scheme):
    result = run(app, "--today", "2026-06-01", "--job", "expire_marks")
    assert result.exit_code == 0, result.output
    assert "expire_marks: expired 0, skipped 0" in result.output
    assert db.session.scalars(select(JobRun.job)).all() == ["expire_marks"]


def test_a_date_in_the_wrong_format_is_refused(app, scheme):
    result = run(app, "--today", "01/06/2026")
    assert result.exit_code != 0
    assert "Enter the date as YYYY-MM-DD" in result.output
    assert db.session.scalars(select(JobRun)).all() == []


def test_an_unknown_job_lists_the_jobs(app, scheme):
    result = run(app, "--job", "tidy_up")
    assert result.exit_code != 0
    assert "There is no job called 'tidy_up'" in result.output
    for name in reviews.JOBS:
        assert name in result.output


def test_scheduler_runs_each_job_daily_with_a_long_misfire_grace_time(app):
    scheduler = build_scheduler(app)
    jobs = scheduler.get_jobs()
    review_jobs = [job for job in jobs if job.id in reviews.JOBS]

    assert [job.id for job in review_jobs] == list(reviews.JOBS)
    times = [(str(job.trigger.fields[5]), str(job.trigger.fields[6])) for job in review_jobs]
    # Ten minutes apart from 02:00, in the order run_all uses.
    expected = [divmod(120 + 10 * i, 60) for i in range(len(reviews.JOBS))]
    assert times == [(str(h), str(m)) for h, m in expected]
    impact = scheduler.get_job("rebuild_impact")  # after the reviews, which change the figures
    assert (str(impact.trigger.fields[5]), str(impact.trigger.fields[6])) == ("4", "0")
    for job in jobs:
        assert str(job.trigger.timezone) == "Europe/London"
        assert job.misfire_grace_time == 6 * 3600
        assert job.coalesce is True
        assert job.max_instances == 1
    assert not scheduler.running


def test_a_scheduled_run_records_itself_as_today_in_london(app, scheme):
    assert run_scheduled(app, "expire_marks") == {"expired": 0, "skipped": 0}
    db.session.expire_all()
    [job_run] = db.session.scalars(select(JobRun)).all()
    assert (job_run.job, job_run.status) == ("expire_marks", "ok")
    assert job_run.run_for == datetime.now(TIMEZONE).date()
