"""Assessors' decisions on action plans, and the whole plan journey through HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import ActionPlan, AuditEvent, Membership, OutboxEmail, PlanTarget
from charter.models.base import utcnow
from tests.factories import make_organisation, signing_id_for, submit
from tests.organisation.plan_helpers import (
    fill_core_targets,
    fill_target,
    make_signatory,
    plan_url,
    plans_of,
    start_plan,
    submit_plan,
)


def _submitted_plan(member_client, organisation, scheme) -> ActionPlan:
    make_signatory(organisation)
    start_plan(member_client, organisation)
    fill_core_targets(member_client, organisation, scheme)
    assert submit_plan(member_client, organisation).status_code == 302
    return plans_of(organisation)[-1]


def _decide(client, plan, decision: str, comment: str = ""):
    return submit(
        client,
        f"/assessor/plans/{plan.id}/decision",
        {"decision": decision, "comment": comment},
        form_url=f"/assessor/plans/{plan.id}",
    )


def _triggers(organisation) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.trigger)
            .where(AuditEvent.organisation_id == organisation.id)
            .order_by(AuditEvent.id)
        )
    )


def test_the_whole_plan_journey(member_client, assessor_client, organisation, scheme):
    plan = _submitted_plan(member_client, organisation, scheme)
    listing = assessor_client.get("/assessor/").get_data(as_text=True)
    assert organisation.name in listing

    # Returned with reasons: back to signatory, and the organisation sees why.
    reasons = "Add the baseline source for LE4 and a milestone for recruitment."
    response = _decide(assessor_client, plan, "return", reasons)
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "signatory"
    assert plans_of(organisation)[0].status == "returned"
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.trigger == "return_plan"))
    assert audit.reason == reasons
    page = member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert reasons in page and "govuk-notification-banner" in page
    assert db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("returned for changes"))
    )

    # A new revision copied from the returned one, resubmitted, approved.
    response = submit(
        member_client, plan_url(organisation, "/revise"), form_url=plan_url(organisation)
    )
    assert response.status_code == 302
    first, second = plans_of(organisation)
    assert (second.revision, second.status) == (2, "draft")
    copied = select(func.count(PlanTarget.id)).where(PlanTarget.plan_id == second.id)
    assert db.session.scalar(copied) == 6
    assert first.status == "returned"
    assert reasons in member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert submit_plan(member_client, organisation).status_code == 302
    response = _decide(assessor_client, second, "approve")
    assert response.status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "monitoring"
    assert [p.status for p in plans_of(organisation)] == ["returned", "approved"]

    # Revising the approved plan: no lifecycle change, and the old revision is superseded.
    response = submit(
        member_client, plan_url(organisation, "/revise"), form_url=plan_url(organisation)
    )
    assert response.status_code == 302
    assert fill_target(member_client, organisation, "LE1", target_value="75").status_code == 302
    assert [p.status for p in plans_of(organisation)] == ["returned", "approved", "draft"]
    assert submit_plan(member_client, organisation).status_code == 302
    third = plans_of(organisation)[-1]
    assert third.status == "submitted"
    assert _decide(assessor_client, third, "approve").status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "monitoring"
    assert [p.status for p in plans_of(organisation)] == ["returned", "superseded", "approved"]
    assert _triggers(organisation) == ["submit_plan", "return_plan", "submit_plan", "approve_plan"]
    history = member_client.get(plan_url(organisation)).get_data(as_text=True)
    assert "Replaced by a later revision" in history


def test_returning_needs_reasons(member_client, assessor_client, organisation, scheme):
    plan = _submitted_plan(member_client, organisation, scheme)
    response = _decide(assessor_client, plan, "return", "   ")
    assert response.status_code == 200
    assert "Give the reasons for returning the plan" in response.get_data(as_text=True)
    db.session.refresh(organisation)
    assert organisation.status == "plan_submitted"
    assert plans_of(organisation)[0].status == "submitted"


def test_deciding_twice_is_refused(member_client, assessor_client, organisation, scheme):
    plan = _submitted_plan(member_client, organisation, scheme)
    assert _decide(assessor_client, plan, "approve").status_code == 302
    response = _decide(assessor_client, plan, "return", "Too late")
    assert response.status_code == 409
    assert "not waiting for a decision" in response.get_data(as_text=True)
    assert plans_of(organisation)[0].status == "approved"
    assert _triggers(organisation) == ["submit_plan", "approve_plan"]


def test_an_assessor_who_is_a_member_cannot_decide(
    member_client, assessor_client, assessor, organisation, scheme
):
    plan = _submitted_plan(member_client, organisation, scheme)
    db.session.add(Membership(user_id=assessor.id, organisation_id=organisation.id))
    db.session.commit()
    page = assessor_client.get(f"/assessor/plans/{plan.id}").get_data(as_text=True)
    assert "You are a member of this organisation" in page
    assert "Send decision" not in page
    response = _decide(assessor_client, plan, "approve")
    assert response.status_code == 403
    db.session.refresh(organisation)
    assert organisation.status == "plan_submitted"
    assert plans_of(organisation)[0].status == "submitted"


def test_the_review_page_shows_every_target(member_client, assessor_client, organisation, scheme):
    plan = _submitted_plan(member_client, organisation, scheme)
    page = assessor_client.get(f"/assessor/plans/{plan.id}").get_data(as_text=True)
    for code in ("LE1", "LE2", "LE4", "LE5", "LE8", "LE9"):
        assert f"{code}" in page
    assert "TOMs" in page and "Send decision" in page


def test_admins_may_look_but_not_decide(member_client, admin_client, organisation, scheme):
    plan = _submitted_plan(member_client, organisation, scheme)
    assert admin_client.get("/assessor/").status_code == 200
    page = admin_client.get(f"/assessor/plans/{plan.id}").get_data(as_text=True)
    assert "Send decision" not in page
    response = submit(
        admin_client,
        f"/assessor/plans/{plan.id}/decision",
        {"decision": "approve"},
        form_url="/admin/assessors/appoint",
    )
    assert response.status_code == 403
    assert plans_of(organisation)[0].status == "submitted"


def test_plain_members_and_anonymous_people_are_kept_out(member_client, client, scheme):
    assert member_client.get("/assessor/").status_code == 403
    response = client.get("/assessor/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def _waiting(scheme, how_many: int, district: str = "Shrewsbury", name: str = "Waiting"):
    start = utcnow() - timedelta(days=100)
    for n in range(how_many):
        organisation = make_organisation(
            scheme=scheme, name=f"{name} {n:02d}", status="plan_submitted", district=district
        )
        db.session.add(
            ActionPlan(
                organisation_id=organisation.id,
                signing_id=signing_id_for(organisation.id),
                scheme_id=scheme.id,
                revision=1,
                status="submitted",
                submitted_at=start + timedelta(days=n),
            )
        )
    db.session.commit()


def test_the_list_takes_the_same_queries_for_3_or_12_plans(assessor_client, scheme, query_counter):
    _waiting(scheme, 3)
    with query_counter() as small:
        few = assessor_client.get("/assessor/").get_data(as_text=True)
    _waiting(scheme, 9, name="More")
    with query_counter() as large:
        many = assessor_client.get("/assessor/").get_data(as_text=True)
    assert few.count('href="/assessor/plans/') == 3
    assert many.count('href="/assessor/plans/') == 12
    assert small.value == large.value


def test_the_list_is_oldest_first_filtered_and_paginated(assessor_client, scheme):
    _waiting(scheme, 27)
    _waiting(scheme, 2, district="Oswestry", name="Border")
    page = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "29 plans waiting" in page
    assert page.index("Waiting 00") < page.index("Waiting 01")
    assert "Waiting 25" not in page and "govuk-pagination" in page
    page_two = assessor_client.get("/assessor/?page=2").get_data(as_text=True)
    assert "Waiting 25" in page_two and "Waiting 00" not in page_two

    by_district = assessor_client.get("/assessor/?district=Oswestry").get_data(as_text=True)
    assert "Border 00" in by_district and "Waiting 00" not in by_district
    by_name = assessor_client.get("/assessor/?q=border+01").get_data(as_text=True)
    assert "Border 01" in by_name and "Border 00" not in by_name
    assert "1 plan waiting" in by_name
