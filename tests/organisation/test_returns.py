"""Monitoring returns from the organisation's side, through HTTP: opening, filling, sending."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    ActionPlan,
    EvidenceFile,
    EvidenceLink,
    Measure,
    MonitoringReturn,
    OutboxEmail,
    PlanTarget,
    ReturnLine,
)
from charter.models.base import utcnow
from charter.services import returns
from charter.services.periods import most_recent_ended, next_period, period_containing
from tests.factories import csrf_token, make_organisation, make_user, sign_in, submit
from tests.organisation.plan_helpers import core_codes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def two_periods_later() -> date:
    """A day on which the current quarter and the next one have both ended."""
    return next_period(period_containing(date.today(), 3), 3).end + timedelta(days=1)


def make_monitored(organisation, scheme, *, decided_at=None) -> ActionPlan:
    """An organisation in monitoring with an approved plan: a target per core measure."""
    organisation.status = "monitoring"
    organisation.route = organisation.route or "working_towards"
    decided_at = decided_at or utcnow()
    plan = ActionPlan(
        organisation_id=organisation.id,
        scheme_id=scheme.id,
        revision=1,
        status="approved",
        submitted_at=decided_at - timedelta(days=7),
        decided_at=decided_at,
    )
    db.session.add(plan)
    db.session.flush()
    for measure in db.session.scalars(
        select(Measure).where(Measure.scheme_id == scheme.id, Measure.is_core.is_(True))
    ):
        db.session.add(
            PlanTarget(
                plan_id=plan.id,
                measure_id=measure.id,
                baseline=10,
                target_value=50,
                target_date=date.today() + timedelta(days=400),
                approach="Buy locally.",
            )
        )
    db.session.commit()
    return plan


def open_returns(organisation, scheme, today=None, **kwargs) -> list[MonitoringReturn]:
    make_monitored(organisation, scheme, **kwargs)
    returns.ensure_returns(organisation, today or two_periods_later())
    db.session.commit()
    return returns_of(organisation)


def returns_of(organisation) -> list[MonitoringReturn]:
    """Oldest period first, fresh from the database."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(MonitoringReturn)
            .where(MonitoringReturn.organisation_id == organisation.id)
            .order_by(MonitoringReturn.period_start)
        )
    )


def return_url(organisation, monitoring_return=None, rest: str = "") -> str:
    base = f"/organisations/{organisation.slug}/returns"
    return f"{base}/{monitoring_return.id}{rest}" if monitoring_return else base + rest


def line_url(organisation, monitoring_return, code: str) -> str:
    return return_url(organisation, monitoring_return, f"/measures/{code}")


def fill_line(client, organisation, monitoring_return, code: str, **changes):
    data = {"actual_value": "1200", "narrative": "Bought from 12 local suppliers."}
    data.update(changes)
    return submit(client, line_url(organisation, monitoring_return, code), data)


def add_link(client, organisation, monitoring_return, code: str, **changes):
    data = {"url": "https://example.com/report", "description": "Supplier spend report"}
    data.update(changes)
    return submit(
        client,
        line_url(organisation, monitoring_return, code) + "/links",
        data,
        form_url=line_url(organisation, monitoring_return, code),
    )


def upload(client, organisation, monitoring_return, code: str, content=PDF, name="report.pdf"):
    page = line_url(organisation, monitoring_return, code)
    return client.post(
        page + "/evidence",
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def complete(client, organisation, monitoring_return, scheme) -> None:
    for code in core_codes(scheme):
        value = "75" if code in ("LE8", "LE9") else "1200"
        assert (
            fill_line(client, organisation, monitoring_return, code, actual_value=value).status_code
            == 302
        )
        assert add_link(client, organisation, monitoring_return, code).status_code == 302


def send(client, organisation, monitoring_return, version=None):
    check = return_url(organisation, monitoring_return, "/check-your-answers")
    data = {"version": str(version if version is not None else monitoring_return.version_id)}
    return submit(client, check, data)


def line_of(monitoring_return, code: str) -> ReturnLine:
    db.session.expire_all()
    return db.session.scalar(
        select(ReturnLine)
        .join(Measure, Measure.id == ReturnLine.measure_id)
        .where(ReturnLine.return_id == monitoring_return.id, Measure.code == code)
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- opening returns ------------------------------------------------------------------------


def test_a_return_opens_for_each_ended_period(organisation, scheme):
    make_monitored(organisation, scheme)
    assert returns.ensure_returns(organisation, date.today()) == []
    opened = returns.ensure_returns(organisation, two_periods_later())
    db.session.commit()
    assert len(opened) == 2
    first, second = returns_of(organisation)
    current = period_containing(date.today(), 3)
    assert (first.period_start, first.period_end) == (current.start, current.end)
    assert first.due_date == current.end + timedelta(days=scheme.return_due_days)
    assert second.period_start == current.end + timedelta(days=1)
    assert first.status == "draft" and first.plan_id is not None
    assert _count(ReturnLine) == 2 * len(core_codes(scheme))
    # Running again, as the scheduled job will, opens nothing more.
    assert returns.ensure_returns(organisation, two_periods_later()) == []
    assert len(returns_of(organisation)) == 2


def test_a_return_made_by_someone_else_at_the_same_moment_is_tolerated(organisation, scheme):
    [first, _second] = open_returns(organisation, scheme)
    period = period_containing(first.period_start, 3)
    created = returns._create_return(
        organisation, period, first.due_date, [], plan_id=first.plan_id
    )
    assert created is None
    db.session.commit()  # the session is still usable after the savepoint rolled back
    assert len(returns_of(organisation)) == 2


def test_no_returns_before_the_plan_is_approved(organisation, scheme):
    organisation.status = "signatory"
    db.session.commit()
    assert returns.ensure_returns(organisation, two_periods_later()) == []


def test_the_list_shows_periods_and_opens_overdue_returns_as_late(
    member_client, organisation, scheme
):
    make_monitored(organisation, scheme, decided_at=utcnow() - timedelta(days=400))
    html = member_client.get(return_url(organisation)).get_data(as_text=True)
    opened = returns_of(organisation)
    assert len(opened) >= 4
    oldest = opened[0]
    assert f"{oldest.period_start.day} {oldest.period_start:%B}" in html
    assert "Not sent" in html and "Late" in html


# --- filling in -----------------------------------------------------------------------------


def test_a_line_is_saved_with_a_figure_and_narrative(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = fill_line(member_client, organisation, first, "LE1", actual_value="£1,200.50")
    assert response.status_code == 302
    line = line_of(first, "LE1")
    assert str(line.actual_value) == "1200.50"
    assert line.narrative == "Bought from 12 local suppliers."


def _refused(client, organisation, monitoring_return, code, message, **changes):
    response = fill_line(client, organisation, monitoring_return, code, **changes)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html and "Error:" in html
    line = line_of(monitoring_return, code)
    assert line.actual_value is None and line.narrative is None


def test_figures_must_be_numbers_not_negative_and_percent_at_most_100(
    member_client, organisation, scheme
):
    first, _ = open_returns(organisation, scheme)
    _refused(
        member_client,
        organisation,
        first,
        "LE1",
        "Enter the actual figure as a number, like 1200",
        actual_value="lots",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE1",
        "Actual figure must be 0 or more",
        actual_value="-5",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
        "Actual figure must be 100 or less",
        actual_value="101",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE1",
        "Enter the actual figure for the period",
        actual_value="",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE1",
        "Enter what you did in the period",
        narrative="  ",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE1",
        "What you did must be 5,000 characters or fewer",
        narrative="x" * 5001,
    )


def test_links_are_added_and_removed(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = add_link(member_client, organisation, first, "LE1", url="ftp://example.com")
    assert "Enter a web address in the correct format" in response.get_data(as_text=True)
    response = add_link(member_client, organisation, first, "LE1", description="")
    assert "Enter a description of the evidence" in response.get_data(as_text=True)
    assert _count(EvidenceLink) == 0

    assert add_link(member_client, organisation, first, "LE1").status_code == 302
    link = db.session.scalar(select(EvidenceLink))
    page = line_url(organisation, first, "LE1")
    assert "Supplier spend report" in member_client.get(page).get_data(as_text=True)
    response = submit(
        member_client, return_url(organisation, first, f"/links/{link.id}/remove"), form_url=page
    )
    assert response.status_code == 302
    assert _count(EvidenceLink) == 0


def test_files_are_uploaded_listed_and_removed(app, member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = upload(member_client, organisation, first, "LE1")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    evidence = db.session.scalar(select(EvidenceFile))
    assert (
        evidence.original_name == "report.pdf"
        and evidence.return_line_id == line_of(first, "LE1").id
    )
    page = member_client.get(line_url(organisation, first, "LE1")).get_data(as_text=True)
    assert f"/organisations/{organisation.slug}/evidence/{evidence.id}" in page

    response = submit(
        member_client,
        return_url(organisation, first, f"/evidence/{evidence.id}/remove"),
        form_url=line_url(organisation, first, "LE1"),
    )
    assert response.status_code == 302
    assert _count(EvidenceFile) == 0


def test_a_refused_upload_shows_the_message_and_keeps_nothing(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = upload(member_client, organisation, first, "LE1", b"MZ\x90\x00\x03\x00", "virus.pdf")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The selected file must be a PDF" in html and "Error:" in html
    assert _count(EvidenceFile) == 0


# --- sending --------------------------------------------------------------------------------


def test_a_return_cannot_be_sent_with_a_line_missing_evidence(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    for code in core_codes(scheme):
        value = "75" if code in ("LE8", "LE9") else "1200"
        fill_line(member_client, organisation, first, code, actual_value=value)
        if code != "LE4":
            add_link(member_client, organisation, first, code)
    check = member_client.get(return_url(organisation, first, "/check-your-answers"))
    assert "You cannot send this return yet" in check.get_data(as_text=True)
    first = returns_of(organisation)[0]
    response = send(member_client, organisation, first)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "LE4" in html and "add evidence (a file or a link)" in html
    assert "LE1" not in html.split("Still needed")[1].split("Nothing was changed")[0]
    first = returns_of(organisation)[0]
    assert first.status == "draft" and first.submitted_at is None


def test_sending_a_return_locks_it(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    complete(member_client, organisation, first, scheme)
    first = returns_of(organisation)[0]
    response = send(member_client, organisation, first)
    assert response.status_code == 302
    first = returns_of(organisation)[0]
    assert first.status == "submitted" and first.submitted_at is not None
    assert first.first_submitted_at == first.submitted_at and first.is_late is False
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to_address == "owner@example.com")
    )
    assert "sent for verification" in email.subject

    # Sending again, or changing it, is refused and changes nothing.
    version = first.version_id
    response = send(member_client, organisation, first)
    assert response.status_code == 409
    assert "You cannot change a return that is waiting for verification" in response.get_data(
        as_text=True
    )
    response = member_client.get(line_url(organisation, first, "LE1"))
    assert response.status_code == 409
    response = member_client.post(line_url(organisation, first, "LE1"), data={})
    assert response.status_code in (400, 409)
    first = returns_of(organisation)[0]
    assert first.version_id == version and line_of(first, "LE1").actual_value == 1200


def test_a_late_return_is_marked_late(member_client, organisation, scheme):
    opened = open_returns(
        organisation, scheme, today=date.today(), decided_at=utcnow() - timedelta(days=400)
    )
    oldest = opened[0]
    assert oldest.due_date < date.today()
    complete(member_client, organisation, oldest, scheme)
    oldest = returns_of(organisation)[0]
    assert send(member_client, organisation, oldest).status_code == 302
    assert returns_of(organisation)[0].is_late is True


def test_a_stale_page_cannot_send_the_return(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    complete(member_client, organisation, first, scheme)
    first = returns_of(organisation)[0]
    response = send(member_client, organisation, first, version=first.version_id - 1)
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)
    assert returns_of(organisation)[0].status == "draft"


# --- the retrospective first return ---------------------------------------------------------


def test_an_already_delivering_signatory_may_send_one_retrospective_return(
    member_client, organisation, scheme
):
    organisation.status = "signatory"
    organisation.route = "already_delivering"
    db.session.commit()
    html = member_client.get(return_url(organisation)).get_data(as_text=True)
    assert "Start your retrospective return" in html
    response = submit(
        member_client,
        return_url(organisation, rest="/retrospective"),
        form_url=return_url(organisation),
    )
    assert response.status_code == 303
    [retro] = returns_of(organisation)
    recent = most_recent_ended(date.today(), 3)
    assert retro.is_retrospective and retro.plan_id is None
    assert (retro.period_start, retro.period_end) == (recent.start, recent.end)
    assert retro.due_date >= date.today()
    assert _count(ReturnLine) == len(core_codes(scheme))

    html = member_client.get(return_url(organisation)).get_data(as_text=True)
    assert "Start your retrospective return" not in html
    token = csrf_token(member_client, return_url(organisation))
    response = member_client.post(
        return_url(organisation, rest="/retrospective"), data={"csrf_token": token}
    )
    assert response.status_code == 409
    assert len(returns_of(organisation)) == 1


def test_a_working_towards_signatory_has_no_retrospective_return(
    member_client, organisation, scheme
):
    organisation.status = "signatory"
    organisation.route = "working_towards"
    db.session.commit()
    html = member_client.get(return_url(organisation)).get_data(as_text=True)
    assert "Start your retrospective return" not in html
    token = csrf_token(member_client, return_url(organisation))
    response = member_client.post(
        return_url(organisation, rest="/retrospective"), data={"csrf_token": token}
    )
    assert response.status_code == 409
    assert returns_of(organisation) == []


# --- who may see what -----------------------------------------------------------------------


def test_a_member_of_another_organisation_gets_404(app, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    other = make_user(email="other@example.com")
    make_organisation(owner=other, scheme=scheme)
    client = app.test_client()
    sign_in(client, other.email)
    for url in (
        return_url(organisation),
        return_url(organisation, first),
        line_url(organisation, first, "LE1"),
        return_url(organisation, first, "/check-your-answers"),
    ):
        assert client.get(url).status_code == 404, url


def test_another_organisations_return_id_is_404(member_client, organisation, scheme, member):
    first, _ = open_returns(organisation, scheme)
    mine = make_organisation(owner=member, scheme=scheme)
    assert member_client.get(return_url(mine, first)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = client.get(return_url(organisation, first))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_staff_may_look_but_not_edit(assessor_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    assert assessor_client.get(return_url(organisation)).status_code == 200
    html = assessor_client.get(return_url(organisation, first)).get_data(as_text=True)
    assert "Check and send your return" not in html
    assert assessor_client.get(line_url(organisation, first, "LE1")).status_code == 404


def test_the_dashboard_links_to_returns_with_their_status(member_client, organisation, scheme):
    open_returns(organisation, scheme)
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert f'href="/organisations/{organisation.slug}/returns"' in html
    assert "2 due" in html


def test_the_list_takes_the_same_queries_for_2_and_8_returns(
    member_client, organisation, scheme, query_counter
):
    make_monitored(organisation, scheme, decided_at=utcnow() - timedelta(days=200))
    member_client.get(return_url(organisation))  # opens returns up to today
    counts = []
    for total in (2, 8):
        existing = returns_of(organisation)
        start = existing[-1].period_start if existing else date(2020, 1, 1)
        for _ in range(total - len(existing)):
            start = date(start.year - 1, start.month, 1)
            db.session.add(
                MonitoringReturn(
                    organisation_id=organisation.id,
                    period_start=start,
                    period_end=start + timedelta(days=60),
                    due_date=start + timedelta(days=90),
                    status="verified",
                )
            )
        db.session.commit()
        assert len(returns_of(organisation)) == total
        with query_counter() as count:
            assert member_client.get(return_url(organisation)).status_code == 200
        counts.append(count.value)
    assert counts[0] == counts[1]


def test_the_dashboard_opens_returns_to_already_delivering_signatories_only(
    member_client, organisation, scheme
):
    organisation.status = "signatory"
    organisation.route = "working_towards"
    db.session.commit()
    link = f'href="/organisations/{organisation.slug}/returns"'
    assert link not in member_client.get(f"/organisations/{organisation.slug}").get_data(
        as_text=True
    )
    organisation.route = "already_delivering"
    db.session.commit()
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert link in html
