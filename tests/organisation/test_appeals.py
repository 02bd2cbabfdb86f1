"""Appealing against a refusal, from the organisation's side."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import OutboxEmail
from charter.models.assessment import Appeal
from charter.models.base import utcnow
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.application_helpers import (
    application_url,
    apply_url,
    ready_to_apply,
    refused_application,
)

GROUNDS = "Our Q2 invoices show LE1 was met; the assessor missed the second file."


def appeal_url(organisation) -> str:
    return f"{apply_url(organisation)}/appeal"


def appeal_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Appeal))


def refused(organisation, scheme, *, days_ago=5):
    ready_to_apply(organisation, scheme)
    return refused_application(organisation, scheme, make_user(role="assessor"), days_ago=days_ago)


def test_the_refusal_and_a_link_to_appeal_are_shown(member_client, organisation, scheme):
    refused(organisation, scheme)
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "LE1 was not met" in html
    assert "Appeal against the decision" in html


def test_lodging_an_appeal_within_the_window(member, member_client, organisation, scheme):
    application = refused(organisation, scheme)
    form = member_client.get(appeal_url(organisation)).get_data(as_text=True)
    assert "LE1 was not met" in form
    response = submit(member_client, appeal_url(organisation), {"grounds": GROUNDS})
    assert response.status_code == 303
    appeal = db.session.scalar(select(Appeal))
    assert appeal.application_id == application.id
    assert appeal.organisation_id == organisation.id
    assert appeal.grounds == GROUNDS
    assert appeal.lodged_by_id == member.id
    assert appeal.status == "lodged"
    assert db.session.scalar(
        select(OutboxEmail).where(
            OutboxEmail.to_address == member.email, OutboxEmail.subject.like("%appeal received")
        )
    )
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "Waiting for a decision" in html
    # An undecided appeal also stops a new application.
    page = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "Your appeal must be decided before you apply again" in page


def test_grounds_are_required(member_client, organisation, scheme):
    refused(organisation, scheme)
    response = submit(member_client, appeal_url(organisation), {"grounds": "  "})
    assert response.status_code == 200
    assert "Enter your grounds for appeal" in response.get_data(as_text=True)
    assert appeal_count() == 0


def test_grounds_over_5000_characters_are_refused(member_client, organisation, scheme):
    refused(organisation, scheme)
    response = submit(member_client, appeal_url(organisation), {"grounds": "x" * 5001})
    assert "5,000 characters or fewer" in response.get_data(as_text=True)
    assert appeal_count() == 0


def test_outside_the_window_the_appeal_is_refused(member_client, organisation, scheme):
    application = refused(organisation, scheme, days_ago=scheme.appeal_window_days + 1)
    closed = (application.decided_at + timedelta(days=scheme.appeal_window_days)).date()
    message = f"The appeal window closed on {closed.day} {closed:%B %Y}"
    response = member_client.get(appeal_url(organisation))
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    token_page = f"/organisations/{organisation.slug}/members/invite"
    response = submit(
        member_client, appeal_url(organisation), {"grounds": GROUNDS}, form_url=token_page
    )
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert appeal_count() == 0


def test_on_the_last_day_of_the_window_the_appeal_is_allowed(member_client, organisation, scheme):
    refused(organisation, scheme, days_ago=scheme.appeal_window_days)
    response = submit(member_client, appeal_url(organisation), {"grounds": GROUNDS})
    assert response.status_code == 303
    assert appeal_count() == 1


def test_a_second_appeal_is_refused(member_client, organisation, scheme):
    refused(organisation, scheme)
    submit(member_client, appeal_url(organisation), {"grounds": GROUNDS})
    token_page = f"/organisations/{organisation.slug}/members/invite"
    response = submit(
        member_client, appeal_url(organisation), {"grounds": "Again"}, form_url=token_page
    )
    assert response.status_code == 409
    assert "already appealed" in response.get_data(as_text=True)
    assert appeal_count() == 1


def test_a_member_of_another_organisation_gets_404(app, organisation, scheme):
    refused(organisation, scheme)
    other = make_user()
    make_organisation(owner=other, scheme=scheme)
    client = app.test_client()
    sign_in(client, other.email)
    assert client.get(appeal_url(organisation)).status_code == 404
    assert client.post(appeal_url(organisation), data={"grounds": GROUNDS}).status_code in (
        400,
        404,
    )
    assert appeal_count() == 0


def test_a_dismissed_appeal_shows_the_reasons(member_client, organisation, scheme):
    application = refused(organisation, scheme)
    db.session.add(
        Appeal(
            application_id=application.id,
            organisation_id=organisation.id,
            grounds=GROUNDS,
            status="dismissed",
            decided_at=utcnow(),
            decision_reason="The second file was a draft invoice, not a paid one.",
        )
    )
    db.session.commit()
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "Dismissed" in html
    assert "The second file was a draft invoice, not a paid one." in html
    assert "Appeal against the decision</a>" not in html
