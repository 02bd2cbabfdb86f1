"""Monitoring returns: sending them, the retrospective first return, and who may see what."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    MonitoringReturn,
    OutboxEmail,
    ReturnLine,
)
from charter.models.base import utcnow
from charter.services.domain.periods import most_recent_ended
from charter.services.domain.signings import signing_of
from tests.factories import (
    csrf_token,
    make_organisation,
    make_user,
    sign_in,
    signing_id_for,
    submit,
)
from tests.organisation.plan_helpers import core_codes
from tests.organisation.return_helpers import (
    _count,
    add_link,
    complete,
    fill_line,
    line_of,
    line_url,
    make_monitored,
    open_returns,
    return_url,
    returns_of,
    send,
)

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
    signing_of(organisation).route = "already_delivering"
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
    signing_of(organisation).route = "working_towards"
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
    opened = len(returns_of(organisation))  # 2 or 3, by how the quarters fall
    for total in (opened, opened + 6):
        existing = returns_of(organisation)
        start = existing[-1].period_start if existing else date(2020, 1, 1)
        for _ in range(total - len(existing)):
            start = date(start.year - 1, start.month, 1)
            db.session.add(
                MonitoringReturn(
                    organisation_id=organisation.id,
                    signing_id=signing_id_for(organisation.id),
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
    signing_of(organisation).route = "working_towards"
    db.session.commit()
    link = f'href="/organisations/{organisation.slug}/returns"'
    assert link not in member_client.get(f"/organisations/{organisation.slug}").get_data(
        as_text=True
    )
    signing_of(organisation).route = "already_delivering"
    db.session.commit()
    html = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert link in html
