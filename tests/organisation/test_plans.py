"""Writing, checking and submitting an action plan, through HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, OutboxEmail, PlanMilestone, PlanTarget
from tests.factories import make_organisation, make_user, sign_in, submit
from tests.organisation.plan_helpers import (
    NEXT_YEAR,
    core_codes,
    fill_core_targets,
    fill_target,
    make_signatory,
    plan_url,
    plans_of,
    start_plan,
    submit_plan,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_member_writes_and_submits_the_plan(member_client, organisation, scheme):
    make_signatory(organisation)
    page = member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert "Start your action plan" in page

    start_plan(member_client, organisation)
    [plan] = plans_of(organisation)
    assert (plan.revision, plan.status, plan.scheme_id) == (1, "draft", scheme.id)

    fill_core_targets(member_client, organisation, scheme)
    response = submit(
        member_client,
        plan_url(organisation, "/milestones/add"),
        {"title": "Local supplier event held", "due_date": ["1", "9", NEXT_YEAR]},
    )
    assert response.status_code == 302
    check = member_client.get(plan_url(organisation, "/check-your-answers")).get_data(as_text=True)
    assert "Local supplier event held" in check
    assert "You cannot submit yet" not in check

    response = submit_plan(member_client, organisation)
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "plan_submitted"
    [plan] = plans_of(organisation)
    assert plan.status == "submitted" and plan.submitted_at is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "submit_plan"))
    assert audit.from_state == "signatory" and audit.to_state == "plan_submitted"
    email = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.to_address == "owner@example.com")
    )
    assert "sent for review" in email.subject
    page = member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert "Waiting for review" in page


def test_an_optional_target_can_be_added_and_removed(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    assert fill_target(member_client, organisation, "LE3").status_code == 302
    assert _count(PlanTarget) == 1
    url = plan_url(organisation, "/measures/LE3")
    response = submit(member_client, f"{url}/remove", form_url=url)
    assert response.status_code == 302
    assert _count(PlanTarget) == 0


def test_a_core_target_cannot_be_removed(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    fill_target(member_client, organisation, "LE1")
    url = plan_url(organisation, "/measures/LE1")
    response = submit(member_client, f"{url}/remove", form_url=url)
    assert response.status_code == 409
    assert _count(PlanTarget) == 1


def test_a_milestone_can_be_removed(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    submit(
        member_client,
        plan_url(organisation, "/milestones/add"),
        {"title": "Event", "due_date": ["1", "9", NEXT_YEAR]},
    )
    milestone = db.session.scalar(select(PlanMilestone))
    response = submit(
        member_client,
        plan_url(organisation, f"/milestones/{milestone.id}/remove"),
        form_url=plan_url(organisation),
    )
    assert response.status_code == 302
    assert _count(PlanMilestone) == 0


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("LE1", {"target_value": "lots"}, "Enter the target as an amount in pounds, like 1,250.50"),
        ("LE1", {"baseline": "-5"}, "The baseline must be 0 or more"),
        ("LE8", {"target_value": "120"}, "The target must be 100% or less"),
        ("LE1", {"target_date": ["1", "1", "2020"]}, "The target date must be in the future"),
        ("LE1", {"target_date": ["31", "2", NEXT_YEAR]}, "The target date must be a real date"),
        ("LE1", {"target_date": ["", "", ""]}, "Enter the target date"),
        ("LE1", {"approach": "   "}, "Enter how you will reach the target"),
        ("LE1", {"baseline": ""}, "Enter the baseline, your figure now"),
    ],
)
def test_invalid_targets_are_refused_and_nothing_saved(
    member_client, organisation, scheme, code, changes, message
):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    response = fill_target(member_client, organisation, code, **changes)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(PlanTarget) == 0


def test_a_milestone_in_the_past_is_refused(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    yesterday = date.today() - timedelta(days=1)
    response = submit(
        member_client,
        plan_url(organisation, "/milestones/add"),
        {
            "title": "Event",
            "due_date": [str(yesterday.day), str(yesterday.month), str(yesterday.year)],
        },
    )
    assert "The milestone date must be in the future" in response.get_data(as_text=True)
    assert _count(PlanMilestone) == 0


def test_submitting_without_every_core_measure_lists_what_is_missing(
    member_client, organisation, scheme
):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    fill_target(member_client, organisation, "LE1")
    check = member_client.get(plan_url(organisation, "/check-your-answers")).get_data(as_text=True)
    assert "You cannot submit yet" in check
    response = submit_plan(member_client, organisation)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The action plan is not complete yet." in html
    for code in core_codes(scheme)[1:]:
        assert f"{code}:" in html
    db.session.refresh(organisation)
    assert organisation.status == "signatory"
    assert plans_of(organisation)[0].status == "draft"
    assert _count(AuditEvent) == 0


def test_a_submitted_plan_cannot_be_edited_or_submitted_again(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    fill_core_targets(member_client, organisation, scheme)
    check_url = plan_url(organisation, "/check-your-answers")
    token_page = plan_url(organisation)  # the check page itself now refuses with 409
    submit_plan(member_client, organisation)

    response = member_client.get(plan_url(organisation, "/measures/LE1"))
    assert response.status_code == 409
    assert "You can only change a draft action plan" in response.get_data(as_text=True)
    before = db.session.scalar(select(PlanTarget.target_value).where(PlanTarget.id == 1))
    response = submit(
        member_client,
        plan_url(organisation, "/measures/LE1"),
        {"baseline": "1", "target_value": "999", "approach": "x"},
        form_url=token_page,
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(PlanTarget.target_value).where(PlanTarget.id == 1)) == before

    response = submit(member_client, check_url, form_url=token_page)
    assert response.status_code == 409
    assert "already been sent" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_starting_is_refused_while_a_plan_waits_for_review(member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    fill_core_targets(member_client, organisation, scheme)
    submit_plan(member_client, organisation)
    response = submit(
        member_client, plan_url(organisation, "/revise"), form_url=plan_url(organisation)
    )
    assert response.status_code == 409
    assert len(plans_of(organisation)) == 1


def test_an_organisation_already_delivering_sees_a_note(member_client, organisation, scheme):
    make_signatory(organisation, route="already_delivering")
    page = member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert "already delivering social value" in page


def test_the_dashboard_links_members_to_the_plan(member_client, organisation, scheme):
    make_signatory(organisation)
    page = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert f'href="{plan_url(organisation)}"' in page


def test_a_registered_organisation_cannot_start_a_plan(member_client, organisation, scheme):
    response = member_client.get(plan_url(organisation))
    assert "Start your action plan" not in response.get_data(as_text=True)
    response = submit(
        member_client,
        plan_url(organisation, "/start"),
        form_url=f"/organisations/{organisation.slug}/members",
    )
    assert response.status_code == 409
    assert plans_of(organisation) == []


def test_a_member_of_another_organisation_gets_404(app, member_client, organisation, scheme):
    make_signatory(organisation)
    start_plan(member_client, organisation)
    other = make_user(email="other@example.com")
    other_org = make_organisation(owner=other, scheme=scheme, status="signatory")
    client = app.test_client()
    sign_in(client, other.email)
    assert client.get(plan_url(organisation)).status_code == 404
    assert client.get(plan_url(organisation, "/measures/LE1")).status_code == 404
    response = submit(
        client, plan_url(organisation, "/measures/LE1"), {}, form_url=plan_url(other_org)
    )
    assert response.status_code == 404
    assert _count(PlanTarget) == 0


def test_anonymous_people_are_sent_to_sign_in(client, organisation):
    response = client.get(plan_url(organisation))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
