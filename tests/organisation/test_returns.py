"""Monitoring returns: opening them and filling them in."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    EvidenceFile,
    EvidenceLink,
    ReturnLine,
)
from charter.models.base import utcnow
from charter.services.domain import returns
from charter.services.domain.periods import period_containing
from tests.factories import submit
from tests.organisation.plan_helpers import core_codes
from tests.organisation.return_helpers import (
    _count,
    add_link,
    fill_line,
    line_of,
    line_url,
    make_monitored,
    open_returns,
    return_url,
    returns_of,
    two_periods_later,
    upload,
)

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
        "LE8",
        "Enter the actual figure as a percentage, like 75.5",
        actual_value="lots",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
        "The actual figure must be 0 or more",
        actual_value="-5",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
        "The actual figure must be 100% or less",
        actual_value="101",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
        "Enter the actual figure for the period",
        actual_value="",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
        "Enter what you did in the period",
        narrative="  ",
    )
    _refused(
        member_client,
        organisation,
        first,
        "LE8",
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


def test_evidence_on_a_sent_return_is_not_removed(member_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    upload(member_client, organisation, first, "LE1")
    add_link(member_client, organisation, first, "LE1")
    evidence, link = (
        db.session.scalar(select(EvidenceFile)),
        db.session.scalar(select(EvidenceLink)),
    )
    page = line_url(organisation, first, "LE1")
    removals = [f"/evidence/{evidence.id}/remove", f"/links/{link.id}/remove"]
    for rest in removals:  # without the form's token
        assert member_client.post(return_url(organisation, first, rest)).status_code == 400
    first.status = "submitted"
    db.session.commit()
    for rest in removals:
        response = submit(member_client, return_url(organisation, first, rest), form_url=page)
        assert response.status_code == 409
        assert "waiting for verification" in response.get_data(as_text=True)
    assert _count(EvidenceFile) == 1 and _count(EvidenceLink) == 1
