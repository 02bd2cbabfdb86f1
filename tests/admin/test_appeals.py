"""Administrators deciding appeals against refused applications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, OutboxEmail
from charter.models.assessment import Appeal, Application
from charter.models.base import utcnow
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.application_helpers import (
    application_url,
    ready_to_apply,
    refused_application,
)

GROUNDS = "Our Q2 invoices show LE1 was met."


def lodged_appeal(organisation, scheme, decided_by, *, days_ago=5) -> Appeal:
    ready_to_apply(organisation, scheme)
    application = refused_application(organisation, scheme, decided_by)
    appeal = Appeal(
        application_id=application.id,
        organisation_id=organisation.id,
        grounds=GROUNDS,
        lodged_at=utcnow() - timedelta(days=days_ago),
    )
    db.session.add(appeal)
    db.session.commit()
    return appeal


def review_url(appeal) -> str:
    return f"/admin/appeals/{appeal.id}"


def triggers(organisation) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.trigger).where(AuditEvent.organisation_id == organisation.id)
        )
    )


# --- who may see the appeals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 403), ("assessor", 403), ("admin", 200)],
)
def test_permission_matrix(app, organisation, scheme, member, who, expected):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    client = app.test_client()
    if who == "member":
        sign_in(client, member.email)
    elif who != "anonymous":
        sign_in(client, make_user(role=who).email)
    for url in ("/admin/appeals", review_url(appeal)):
        response = client.get(url)
        assert response.status_code == expected, url
        if who == "anonymous":
            assert "/sign-in" in response.headers["Location"]


def test_the_list_shows_lodged_appeals_first_oldest_first(admin_client, scheme):
    assessor = make_user(role="assessor")
    newer = make_organisation(owner=make_user(), scheme=scheme, name="Newer Ltd")
    older = make_organisation(owner=make_user(), scheme=scheme, name="Older Ltd")
    decided = make_organisation(owner=make_user(), scheme=scheme, name="Decided Ltd")
    lodged_appeal(newer, scheme, assessor, days_ago=2)
    lodged_appeal(older, scheme, assessor, days_ago=9)
    done = lodged_appeal(decided, scheme, assessor, days_ago=20)
    done.status = "dismissed"
    db.session.commit()
    html = admin_client.get("/admin/appeals").get_data(as_text=True)
    assert html.index("Older Ltd") < html.index("Newer Ltd") < html.index("Decided Ltd")


def test_the_dashboard_links_to_appeals_with_the_count(admin_client, organisation, scheme):
    lodged_appeal(organisation, scheme, make_user(role="assessor"))
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/appeals"' in html
    assert "(1 waiting for a decision)" in html


def test_the_review_page_shows_the_refusal_and_the_grounds(admin_client, organisation, scheme):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    html = admin_client.get(review_url(appeal)).get_data(as_text=True)
    assert organisation.name in html
    assert "LE1 was not met" in html
    assert GROUNDS in html
    assert 'name="decision"' in html


# --- deciding ---------------------------------------------------------------------------------


def test_the_administrator_who_refused_cannot_decide(
    admin_user, admin_client, organisation, scheme
):
    appeal = lodged_appeal(organisation, scheme, admin_user)
    page = admin_client.get(review_url(appeal)).get_data(as_text=True)
    assert "another administrator must decide the appeal" in page
    assert 'name="decision"' not in page
    response = submit(
        admin_client,
        review_url(appeal),
        {"decision": "uphold", "reason": "Fine"},
        form_url="/admin/assessors/appoint",
    )
    assert response.status_code == 403
    assert "another administrator must" in response.get_data(as_text=True)
    db.session.expire_all()
    assert appeal.status == "lodged"
    assert organisation.status == "monitoring"
    assert triggers(organisation) == []


def test_upholding_sends_the_application_back_to_the_assessors(
    admin_user, admin_client, organisation, scheme, member
):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    response = submit(
        admin_client,
        review_url(appeal),
        {"decision": "uphold", "reason": "The Q2 invoice was paid; assess again."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert appeal.status == "upheld"
    assert appeal.decided_by_id == admin_user.id
    assert appeal.decision_reason == "The Q2 invoice was paid; assess again."
    assert organisation.mark_status == "under_assessment"
    application = db.session.get(Application, appeal.application_id)
    assert application.status == "open"
    assert application.decided_at is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.organisation_id == organisation.id)
    )
    assert event.trigger == "reopen_assessment"
    assert event.reason == "The Q2 invoice was paid; assess again."
    assert event.actor_id == admin_user.id
    assert db.session.scalar(
        select(OutboxEmail).where(
            OutboxEmail.to_address == member.email, OutboxEmail.subject.like("%upheld")
        )
    )


def test_dismissing_shows_the_reasons_to_the_organisation(
    admin_client, organisation, scheme, member_client
):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    response = submit(
        admin_client,
        review_url(appeal),
        {"decision": "dismiss", "reason": "The invoice was a draft, not a paid one."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert appeal.status == "dismissed"
    assert organisation.status == "monitoring"
    assert triggers(organisation) == []
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "The invoice was a draft, not a paid one." in html
    assert "Dismissed" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Because"}, "Select whether to uphold or dismiss the appeal"),
        ({"decision": "maybe", "reason": "Because"}, "Select whether to uphold or dismiss"),
        ({"decision": "uphold", "reason": "  "}, "Enter the reasons for your decision"),
    ],
)
def test_a_decision_and_reasons_are_required(admin_client, organisation, scheme, data, message):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    response = submit(admin_client, review_url(appeal), data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert appeal.status == "lodged"
    assert organisation.status == "monitoring"


def test_a_decided_appeal_cannot_be_decided_again(admin_client, organisation, scheme):
    appeal = lodged_appeal(organisation, scheme, make_user(role="assessor"))
    submit(admin_client, review_url(appeal), {"decision": "dismiss", "reason": "No"})
    response = submit(
        admin_client,
        review_url(appeal),
        {"decision": "uphold", "reason": "Changed my mind"},
        form_url="/admin/assessors/appoint",
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert appeal.status == "dismissed"
    assert organisation.status == "monitoring"


def test_an_unknown_appeal_is_not_found(admin_client):
    assert admin_client.get("/admin/appeals/999").status_code == 404
