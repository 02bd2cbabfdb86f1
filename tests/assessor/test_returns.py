"""Assessors verifying monitoring returns, and the whole return journey through HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from charter.extensions import db
from charter.models import EvidenceFile, Membership, MonitoringReturn, OutboxEmail
from charter.models.base import utcnow
from tests.factories import make_organisation, signing_id_for, submit
from tests.organisation.plan_helpers import core_codes
from tests.organisation.return_helpers import (
    complete,
    fill_line,
    line_of,
    line_url,
    open_returns,
    return_url,
    returns_of,
    send,
    upload,
)


def _review_url(monitoring_return) -> str:
    return f"/assessor/returns/{monitoring_return.id}"


def _decide(client, monitoring_return, decisions: dict, version=None):
    """``decisions``: line id -> (decision, comment)."""
    data = {"version": str(version if version is not None else monitoring_return.version_id)}
    for line_id, (decision, comment) in decisions.items():
        if decision:
            data[f"decision_{line_id}"] = decision
        data[f"comment_{line_id}"] = comment
    return submit(
        client,
        f"/assessor/returns/{monitoring_return.id}/decision",
        data,
        form_url=_review_url(monitoring_return),
    )


def _all(monitoring_return, scheme, decision="accepted", **overrides) -> dict:
    decisions = {}
    for code in core_codes(scheme):
        decisions[line_of(monitoring_return, code).id] = overrides.get(code, (decision, ""))
    return decisions


def _submitted(member_client, organisation, scheme) -> MonitoringReturn:
    first, _ = open_returns(organisation, scheme)
    complete(member_client, organisation, first, scheme)
    assert send(member_client, organisation, returns_of(organisation)[0]).status_code == 302
    return returns_of(organisation)[0]


def test_the_whole_return_journey(member_client, assessor_client, organisation, scheme):
    first, second = open_returns(organisation, scheme)
    complete(member_client, organisation, first, scheme)
    assert upload(member_client, organisation, first, "LE1").status_code == 302
    check = member_client.get(return_url(organisation, first, "/check-your-answers"))
    assert "report.pdf" in check.get_data(as_text=True)
    assert send(member_client, organisation, returns_of(organisation)[0]).status_code == 302

    listing = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "Returns waiting" in listing and _review_url(first) in listing
    first = returns_of(organisation)[0]
    review = assessor_client.get(_review_url(first)).get_data(as_text=True)
    evidence = db.session.scalar(select(EvidenceFile))
    assert f"/organisations/{organisation.slug}/evidence/{evidence.id}" in review
    # LE1 is a flow (an annual target), LE4 a stock (a level by a date).
    assert "£50 a year, in each plan year (baseline £10)" in review
    assert "50 FTE by " in review and "Supplier spend report" in review

    # The assessor queries LE4: the return goes back with what to fix.
    le4 = line_of(first, "LE4")
    response = _decide(
        assessor_client,
        first,
        _all(first, scheme, LE4=("queried", "The payroll extract is missing.")),
    )
    assert response.status_code == 302
    first = returns_of(organisation)[0]
    assert first.status == "queried" and first.verified_at is None
    assert line_of(first, "LE4").review_status == "queried"
    assert line_of(first, "LE1").review_status == "accepted"
    email = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.subject.contains("queried"))
    ).first()
    assert email is not None and "The payroll extract is missing." in email.body

    # The organisation sees the query, must respond, and resubmits.
    page = member_client.get(line_url(organisation, first, "LE4")).get_data(as_text=True)
    assert "The payroll extract is missing." in page
    response = fill_line(member_client, organisation, first, "LE4")
    assert "Enter your response to the assessor" in response.get_data(as_text=True)
    assert member_client.get(line_url(organisation, first, "LE1")).status_code == 409
    response = fill_line(
        member_client, organisation, first, "LE4", response="Extract now attached."
    )
    assert response.status_code == 302
    assert send(member_client, organisation, returns_of(organisation)[0]).status_code == 302
    first = returns_of(organisation)[0]
    assert first.status == "submitted" and line_of(first, "LE4").review_status == "pending"
    assert first.first_submitted_at <= first.submitted_at
    review = assessor_client.get(_review_url(first)).get_data(as_text=True)
    assert "Extract now attached." in review

    # Everything accepted: verified and locked.
    assert _decide(assessor_client, first, _all(first, scheme)).status_code == 302
    first = returns_of(organisation)[0]
    assert first.status == "verified" and first.verified_at is not None
    assert db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.subject.contains("has been verified"))
    ).first()
    assert le4.id and line_of(first, "LE4").review_status == "accepted"
    response = fill_line(member_client, organisation, first, "LE1", actual_value="9")
    assert response.status_code == 409
    assert "You cannot change a return that has been verified" in response.get_data(as_text=True)
    assert line_of(first, "LE1").actual_value == 1200
    assert returns_of(organisation)[0].status == "verified"
    assert second.status == "draft"


def test_a_query_needs_a_comment(member_client, assessor_client, organisation, scheme):
    first = _submitted(member_client, organisation, scheme)
    response = _decide(assessor_client, first, _all(first, scheme, LE1=("queried", " ")))
    assert response.status_code == 200
    assert "Say what is missing or wrong" in response.get_data(as_text=True)
    response = _decide(assessor_client, first, _all(first, scheme, LE2=("", "")))
    assert "Select whether you accept or query LE2" in response.get_data(as_text=True)
    first = returns_of(organisation)[0]
    assert first.status == "submitted" and line_of(first, "LE1").review_status == "pending"


def test_a_return_not_waiting_cannot_be_decided(assessor_client, organisation, scheme):
    first, _ = open_returns(organisation, scheme)
    response = _decide(assessor_client, first, _all(first, scheme))
    assert response.status_code == 409
    assert "not waiting for verification" in response.get_data(as_text=True)
    assert returns_of(organisation)[0].status == "draft"
    assert line_of(first, "LE1").review_status == "pending"


def test_a_stale_decision_is_refused(member_client, assessor_client, organisation, scheme):
    first = _submitted(member_client, organisation, scheme)
    response = _decide(assessor_client, first, _all(first, scheme), version=first.version_id - 1)
    assert response.status_code == 409
    assert "Someone else changed this" in response.get_data(as_text=True)
    assert returns_of(organisation)[0].status == "submitted"


def test_a_plain_member_cannot_review_returns(member_client, organisation, scheme):
    first = _submitted(member_client, organisation, scheme)
    assert member_client.get(_review_url(first)).status_code == 403
    assert member_client.get("/assessor/").status_code == 403


def test_an_assessor_who_is_a_member_cannot_decide(
    member_client, assessor, assessor_client, organisation, scheme
):
    first = _submitted(member_client, organisation, scheme)
    db.session.add(Membership(user_id=assessor.id, organisation_id=organisation.id))
    db.session.commit()
    html = assessor_client.get(_review_url(first)).get_data(as_text=True)
    assert "You are a member of this organisation" in html
    assert "Send decision" not in html
    token_page = f"/organisations/{organisation.slug}"
    response = submit(
        assessor_client,
        f"/assessor/returns/{first.id}/decision",
        {"version": str(first.version_id)},
        form_url=token_page,
    )
    assert response.status_code == 403
    assert returns_of(organisation)[0].status == "submitted"


def test_an_admin_may_look_but_not_decide(member_client, admin_client, organisation, scheme):
    first = _submitted(member_client, organisation, scheme)
    html = admin_client.get(_review_url(first)).get_data(as_text=True)
    assert organisation.name in html and "Send decision" not in html


def _waiting_returns(scheme, count: int, district: str = "Shrewsbury") -> None:
    start = utcnow().date().replace(day=1)
    for n in range(count):
        org = make_organisation(scheme=scheme, status="monitoring", district=district)
        db.session.add(
            MonitoringReturn(
                organisation_id=org.id,
                signing_id=signing_id_for(org.id),
                period_start=start,
                period_end=start + timedelta(days=89),
                due_date=start + timedelta(days=119),
                status="submitted",
                submitted_at=utcnow() - timedelta(minutes=n),
                first_submitted_at=utcnow() - timedelta(minutes=n),
            )
        )
    db.session.commit()


def test_returns_waiting_are_oldest_first_and_filtered(assessor_client, scheme):
    _waiting_returns(scheme, 2)
    _waiting_returns(scheme, 1, district="Oswestry")
    rows = list(
        db.session.scalars(select(MonitoringReturn).order_by(MonitoringReturn.submitted_at))
    )
    html = assessor_client.get("/assessor/").get_data(as_text=True)
    positions = [html.index(_review_url(r)) for r in rows]
    assert positions == sorted(positions)
    html = assessor_client.get("/assessor/?district=Oswestry").get_data(as_text=True)
    assert "1 monitoring return waiting" in html
    html = assessor_client.get("/assessor/?q=no+such+name").get_data(as_text=True)
    assert "No monitoring returns match" in html


def test_the_waiting_list_takes_the_same_queries_for_3_and_12(
    assessor_client, scheme, query_counter
):
    counts = []
    for total in (3, 12):
        _waiting_returns(scheme, total - (3 if total == 12 else 0))
        with query_counter() as count:
            html = assessor_client.get("/assessor/").get_data(as_text=True)
        assert f"{total} monitoring returns waiting" in html
        counts.append(count.value)
    assert counts[0] == counts[1]
