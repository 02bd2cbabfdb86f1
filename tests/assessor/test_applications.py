"""Assessors judging Charter Mark applications, through HTTP: the whole journey, judgements, who
may see an application, and the list of applications waiting."""

from __future__ import annotations

from sqlalchemy import func, select

from charter.extensions import db
from charter.models import EvidenceFile, OutboxEmail
from charter.models.assessment import Application, CharterMark, InformationRequest, MeasureJudgement
from tests.assessor.application_helpers import (
    application_url,
    applied,
    ask,
    audit_events,
    award,
    fresh,
    judge,
    judge_all,
    mark_count,
    post_unoffered,
)
from tests.factories import make_organisation, make_user, set_stage, signing_id_for


def test_the_whole_assessment_journey(assessor_client, assessor, organisation, scheme, member):
    application = applied(organisation, scheme, member, delete_a_file=True)

    listing = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "Applications waiting" in listing and application_url(application) in listing

    page = assessor_client.get(application_url(application)).get_data(as_text=True)
    evidence = db.session.scalar(select(EvidenceFile))
    assert f"/organisations/{organisation.slug}/evidence/{evidence.id}" in page
    assert "spend-report.pdf" in page and "old.pdf (file no longer held)" in page
    assert "Supplier spend report" in page and "Highways work" in page
    assert "1 January to 22 March 2026: £30" in page
    assert "Shropshire Council" in page and "Not judged yet" in page
    assert "From £0 to £50 by" in page and (
        "£60 achieved in the plan year 1 January to 31 December 2026: target met" in page
    )
    targets = len(application.snapshot["targets"])
    assert f"0 of {targets} targets met = 0%, the scheme asks for at least 75%" in page
    assert "LE1 has not been judged" in page

    judge_all(assessor_client, application)
    assert db.session.scalar(select(func.count()).select_from(MeasureJudgement)) == targets
    page = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert f"{targets} of {targets} targets met = 100%" in page
    assert "the award rule holds" in page

    # Questions are required; asking without them changes nothing.
    response = ask(assessor_client, application, questions="  ")
    assert response.status_code == 200
    assert "Enter your questions for the organisation" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0

    assert ask(assessor_client, application).status_code == 302
    application, organisation = fresh(application, organisation)
    assert application.status == "information_requested"
    assert organisation.mark_status == "information_requested"
    [asked] = audit_events(organisation, "request_information")
    assert asked.reason == "Send the supplier invoices for LE1."
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == member.email))
    assert "Send the supplier invoices for LE1." in email.body

    # The organisation answers (H-apply's side), and the assessor carries on.
    request = db.session.scalar(select(InformationRequest))
    request.answer = "Invoices attached to the LE1 evidence."
    request.answered_by_id = member.id
    application.status = "open"
    set_stage(organisation, "under_assessment")
    db.session.commit()
    page = assessor_client.get(application_url(application)).get_data(as_text=True)
    assert "Invoices attached to the LE1 evidence." in page

    rejudged = judge(assessor_client, application, "LE1", "met", "Invoices check out")
    assert rejudged.status_code == 302
    assert award(assessor_client, application).status_code == 302

    application, organisation = fresh(application, organisation)
    assert organisation.mark_status == "accredited"
    assert application.status == "awarded"
    assert application.decided_by_id == assessor.id and application.decided_at is not None
    assert application.rationale == "Every target met, with good evidence."
    mark = db.session.scalar(select(CharterMark))
    assert mark.organisation_id == organisation.id and mark.application_id == application.id
    assert len(audit_events(organisation, "award_mark")) == 1
    awarded = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("awarded the Charter Mark"))
    )
    assert awarded.to_address == member.email and mark.certificate_number in awarded.body
    assert "Applications waiting" in assessor_client.get("/assessor/").get_data(as_text=True)
    assert application_url(application) not in assessor_client.get("/assessor/").get_data(
        as_text=True
    )


def test_a_judgement_needs_a_verdict_and_an_explanation(
    assessor_client, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    response = judge(assessor_client, application, "LE1", "met", comment="   ")
    assert response.status_code == 200
    assert "Explain your judgement" in response.get_data(as_text=True)
    response = judge(assessor_client, application, "LE1", "", comment="Fine")
    assert "Select whether the target is met, partly met or not met" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(MeasureJudgement)) == 0

    # Judging again replaces the earlier judgement.
    assert judge(assessor_client, application, "LE1", "partly_met").status_code == 302
    assert judge(assessor_client, application, "LE1", "not_met", "Short").status_code == 302
    [judgement] = db.session.scalars(select(MeasureJudgement)).all()
    assert (judgement.verdict, judgement.comment) == ("not_met", "Short")


def test_members_and_strangers_cannot_see_applications(
    member_client, client, organisation, scheme, member
):
    application = applied(organisation, scheme, member)
    assert member_client.get(application_url(application)).status_code == 403
    assert client.get(application_url(application)).status_code == 302  # to sign in


def test_applications_waiting_in_a_constant_number_of_queries(
    assessor_client, scheme, query_counter
):
    counts = []
    for total in (2, 8):
        existing = db.session.scalar(select(func.count()).select_from(Application))
        for _ in range(total - existing):
            owner = make_user()
            organisation = make_organisation(owner=owner, scheme=scheme, status="under_assessment")
            db.session.add(
                Application(
                    organisation_id=organisation.id,
                    signing_id=signing_id_for(organisation.id),
                    scheme_id=scheme.id,
                    submitted_by_id=owner.id,
                    snapshot={"targets": []},
                )
            )
        db.session.commit()
        with query_counter() as count:
            html = assessor_client.get("/assessor/").get_data(as_text=True)
        assert f"{total} Charter Mark applications waiting" in html
        counts.append(count.value)
    assert counts[0] == counts[1]


def test_an_administrator_may_look_but_not_decide(admin_client, organisation, scheme, member):
    application = applied(organisation, scheme, member)
    page = admin_client.get(application_url(application))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The award rule" in html
    assert "Award the Charter Mark" not in html and "Save judgement" not in html
    response = post_unoffered(admin_client, application, "award", "award", 1, rationale="Good")
    assert response.status_code == 403 and mark_count() == 0
