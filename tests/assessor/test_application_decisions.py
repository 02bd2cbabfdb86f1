"""Assessors deciding on Charter Mark applications, through HTTP: refusals, the award rule,
conflicts of interest, decisions made at once or on a stale page, and moderation."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import Membership, OutboxEmail, Scheme
from tests.assessor.application_helpers import (
    application_url,
    applied,
    audit_events,
    award,
    fresh,
    judge_all,
    mark_count,
    moderate,
    post_unoffered,
    refuse,
    second_assessor_client,
)
from tests.factories import csrf_token


def test_refusing_records_the_reasons_and_tells_the_members(
    assessor_client, assessor, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    response = refuse(assessor_client, application, reasons="")
    assert "Give the reasons for refusing the Charter Mark" in response.get_data(as_text=True)

    assert refuse(assessor_client, application).status_code == 302
    application, organisation = fresh(application, organisation)
    assert application.status == "refused" and organisation.status == "monitoring"
    assert application.rationale == "Core targets not met."
    assert application.decided_by_id == assessor.id
    [refused] = audit_events(organisation, "refuse_mark")
    assert refused.reason == "Core targets not met."
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.subject.contains("refused")))
    assert "Core targets not met." in email.body
    assert "appeal against this decision until" in email.body and "apply again from" in email.body
    assert mark_count() == 0

    # A decided application cannot be decided again.
    response = award(assessor_client, application)
    assert response.status_code == 409
    assert "not waiting for a decision" in response.get_data(as_text=True)


def test_award_is_refused_when_the_rule_does_not_hold(
    assessor_client, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application, LE1="partly_met")
    response = award(assessor_client, application)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The award rule does not hold" in html
    assert "LE1 is a core measure and is judged partly met" in html
    application, organisation = fresh(application, organisation)
    assert application.status == "open" and organisation.mark_status == "under_assessment"
    assert mark_count() == 0 and audit_events(organisation, "award_mark") == []


def test_an_assessor_who_is_a_member_cannot_award(
    assessor_client, assessor, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application)
    db.session.add(
        Membership(user_id=assessor.id, organisation_id=organisation.id, role="contributor")
    )
    db.session.commit()
    page = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "You are a member of this organisation" in page
    assert "Award the Charter Mark" not in page and "Save judgement" not in page

    response = post_unoffered(
        assessor_client, application, "award", "award", rationale="Looks good"
    )
    assert response.status_code == 403
    application, organisation = fresh(application, organisation)
    assert application.status == "open" and organisation.mark_status == "under_assessment"
    assert mark_count() == 0


def test_two_assessors_deciding_at_once(app, assessor_client, organisation, scheme, member):
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application)
    second, _ = second_assessor_client(app)
    # Both open the page at the same version.
    version = str(application.version_id)
    token = csrf_token(second, application_url(application))
    assert award(assessor_client, application).status_code == 302

    response = second.post(
        application_url(application, "/award"),
        data={"csrf_token": token, "award-version": version, "award-rationale": "Also good"},
    )
    assert response.status_code == 409
    assert "Someone else changed" in response.get_data(as_text=True)
    _, organisation = fresh(application, organisation)
    assert mark_count() == 1 and len(audit_events(organisation, "award_mark")) == 1


def test_a_stale_decision_is_refused(assessor_client, organisation, scheme, member):
    application = applied(organisation, scheme, member)
    token = csrf_token(assessor_client, application_url(application))
    response = assessor_client.post(
        application_url(application, "/refusal"),
        data={"csrf_token": token, "refusal-version": "0", "refusal-reasons": "No"},
    )
    assert response.status_code == 409
    application, organisation = fresh(application, organisation)
    assert application.status == "open" and organisation.mark_status == "under_assessment"


def test_moderation(app, assessor_client, assessor, organisation, scheme, member):
    scheme.moderation_required = True
    db.session.commit()
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application)
    assert award(assessor_client, application).status_code == 302
    application, organisation = fresh(application, organisation)
    assert application.status == "awaiting_moderation"
    assert application.decided_by_id == assessor.id
    assert organisation.mark_status == "under_assessment" and mark_count() == 0

    # The first assessor cannot moderate their own award.
    page = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "A different assessor must moderate this award" in page
    assert "Moderate the award" not in page
    response = post_unoffered(
        assessor_client, application, "moderation", "moderation", decision="confirm"
    )
    assert response.status_code == 403
    assert mark_count() == 0

    second, other = second_assessor_client(app)
    assert moderate(second, application).status_code == 302
    application, organisation = fresh(application, organisation)
    assert organisation.mark_status == "accredited" and application.status == "awarded"
    assert application.moderated_by_id == other.id and application.decided_by_id == assessor.id
    assert mark_count() == 1
    [awarded] = audit_events(organisation, "award_mark")
    assert awarded.actor_id == other.id


def test_a_moderator_can_send_an_award_back(app, assessor_client, organisation, scheme, member):
    db.session.get(Scheme, scheme.id).moderation_required = True
    db.session.commit()
    application = applied(organisation, scheme, member)
    judge_all(assessor_client, application)
    award(assessor_client, application)
    second, _ = second_assessor_client(app)
    response = moderate(second, application, decision="send_back")
    assert "Say why you are sending the award back" in response.get_data(as_text=True)
    assert moderate(second, application, "send_back", "LE4 evidence is thin").status_code == 302
    application, organisation = fresh(application, organisation)
    assert application.status == "open" and application.decided_by_id is None
    assert organisation.mark_status == "under_assessment" and mark_count() == 0
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.subject.contains("sent back")))
    assert email.to_address == "assessor@example.com" and "LE4 evidence is thin" in email.body
