"""Assessors judging Charter Mark applications and deciding on them, through HTTP."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import (
    AuditEvent,
    EvidenceFile,
    EvidenceLink,
    Measure,
    Membership,
    Organisation,
    OutboxEmail,
    ReturnLine,
    Scheme,
)
from charter.models.assessment import (
    Application,
    CharterMark,
    InformationRequest,
    MeasureJudgement,
)
from tests.factories import (
    csrf_token,
    make_approved_plan,
    make_commissioner,
    make_contract,
    make_organisation,
    make_return,
    make_user,
    sign_in,
    submit,
)
from tests.organisation.plan_helpers import core_codes

OPTIONAL_CODE = "LE12"


# --- setting up an application ----------------------------------------------------------------


def _applied(organisation, scheme, member, *, delete_a_file: bool = False) -> Application:
    """An organisation under assessment with an approved plan, two verified returns meeting
    every target, evidence, a contract, and its application with the service's snapshot."""
    from charter.services.domain.snapshots import take_snapshot

    codes = [*core_codes(scheme), OPTIONAL_CODE]
    measures = make_approved_plan(organisation, scheme, {code: ("0", "50") for code in codes})
    first = make_return(organisation, measures, 1, {code: "30" for code in codes})
    make_return(organisation, measures, 2, {code: "30" for code in codes})
    le1_line = db.session.scalar(
        select(ReturnLine.id).where(
            ReturnLine.return_id == first.id, ReturnLine.measure_id == measures["LE1"].id
        )
    )
    files = [
        EvidenceFile(
            organisation_id=organisation.id,
            return_line_id=le1_line,
            original_name=name,
            stored_name=f"stored-{organisation.id}-{name}",
            size=10,
            sha256="0" * 64,
            content_type="application/pdf",
        )
        for name in ("spend-report.pdf", "old.pdf")
    ]
    db.session.add_all(files)
    db.session.add(
        EvidenceLink(
            return_line_id=le1_line,
            url="https://example.com/spend",
            description="Supplier spend report",
        )
    )
    make_contract(organisation, make_commissioner("Shropshire Council"), title="Highways work")
    organisation.status = "under_assessment"
    db.session.flush()
    with current_app.test_request_context():
        snapshot = take_snapshot(organisation, scheme, date(2026, 12, 1))
    application = Application(
        organisation_id=organisation.id,
        scheme_id=scheme.id,
        submitted_by_id=member.id,
        snapshot=snapshot,
    )
    db.session.add(application)
    if delete_a_file:
        # Later changes do not reach the snapshot: the file is still named, but not linked.
        db.session.delete(files[1])
    db.session.commit()
    return application


def _url(application, rest: str = "") -> str:
    return f"/assessor/applications/{application.id}{rest}"


def _measure_ids(application) -> dict[str, int]:
    return {m["code"]: m["measure_id"] for m in application.snapshot["targets"]}


def _judge(client, application, code: str, verdict: str = "met", comment: str = "Evidence fits"):
    measure_id = _measure_ids(application)[code]
    prefix = f"measure-{measure_id}"
    return submit(
        client,
        _url(application, f"/measures/{measure_id}/judgement"),
        {f"{prefix}-verdict": verdict, f"{prefix}-comment": comment},
        form_url=_url(application),
    )


def _judge_all(client, application, verdict="met", **overrides):
    for code in _measure_ids(application):
        response = _judge(client, application, code, overrides.get(code, verdict))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _decide(client, application, action: str, prefix: str, field: str, text: str, **extra):
    db.session.refresh(application)
    data = {f"{prefix}-version": str(application.version_id), f"{prefix}-{field}": text}
    data.update({f"{prefix}-{k}": v for k, v in extra.items()})
    return submit(client, _url(application, f"/{action}"), data, form_url=_url(application))


def _award(client, application, rationale="Every target met, with good evidence."):
    return _decide(client, application, "award", "award", "rationale", rationale)


def _refuse(client, application, reasons="Core targets not met."):
    return _decide(client, application, "refusal", "refusal", "reasons", reasons)


def _ask(client, application, questions="Send the supplier invoices for LE1."):
    return _decide(client, application, "information-request", "request", "questions", questions)


def _moderate(client, application, decision="confirm", reasons=""):
    return _decide(
        client, application, "moderation", "moderation", "reasons", reasons, decision=decision
    )


def _audit(organisation, trigger: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.organisation_id == organisation.id, AuditEvent.trigger == trigger
            )
        )
    )


def _fresh(application, organisation):
    db.session.expire_all()
    return db.session.get(Application, application.id), db.session.get(
        Organisation, organisation.id
    )


def _marks() -> int:
    return db.session.scalar(select(func.count()).select_from(CharterMark))


def _second_assessor_client(app):
    other = make_user(email="second@example.com", full_name="Sam Second", role="assessor")
    client = app.test_client()
    sign_in(client, other.email)
    return client, other


# --- the journey --------------------------------------------------------------------------------


def test_the_whole_assessment_journey(assessor_client, assessor, organisation, scheme, member):
    application = _applied(organisation, scheme, member, delete_a_file=True)

    listing = assessor_client.get("/assessor/").get_data(as_text=True)
    assert "Applications waiting" in listing and _url(application) in listing

    page = assessor_client.get(_url(application)).get_data(as_text=True)
    evidence = db.session.scalar(select(EvidenceFile))
    assert f"/organisations/{organisation.slug}/evidence/{evidence.id}" in page
    assert "spend-report.pdf" in page and "old.pdf (file no longer held)" in page
    assert "Supplier spend report" in page and "Highways work" in page
    assert "1 January 2026 to 22 March 2026: £30" in page
    assert "Shropshire Council" in page and "Not judged yet" in page
    assert "From £0 to £50 by" in page and (
        "£60 achieved in the plan year 1 January 2026 to 31 December 2026: target met" in page
    )
    targets = len(application.snapshot["targets"])
    assert f"0 of {targets} targets met = 0%, the scheme asks for at least 75%" in page
    assert "LE1 has not been judged" in page

    _judge_all(assessor_client, application)
    assert db.session.scalar(select(func.count()).select_from(MeasureJudgement)) == targets
    page = assessor_client.get(_url(application)).get_data(as_text=True)
    assert f"{targets} of {targets} targets met = 100%" in page
    assert "the award rule holds" in page

    # Questions are required; asking without them changes nothing.
    response = _ask(assessor_client, application, questions="  ")
    assert response.status_code == 200
    assert "Enter your questions for the organisation" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0

    assert _ask(assessor_client, application).status_code == 302
    application, organisation = _fresh(application, organisation)
    assert application.status == "information_requested"
    assert organisation.status == "information_requested"
    [asked] = _audit(organisation, "request_information")
    assert asked.reason == "Send the supplier invoices for LE1."
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == member.email))
    assert "Send the supplier invoices for LE1." in email.body

    # The organisation answers (H-apply's side), and the assessor carries on.
    request = db.session.scalar(select(InformationRequest))
    request.answer = "Invoices attached to the LE1 evidence."
    request.answered_by_id = member.id
    application.status = "open"
    organisation.status = "under_assessment"
    db.session.commit()
    page = assessor_client.get(_url(application)).get_data(as_text=True)
    assert "Invoices attached to the LE1 evidence." in page

    rejudged = _judge(assessor_client, application, "LE1", "met", "Invoices check out")
    assert rejudged.status_code == 302
    assert _award(assessor_client, application).status_code == 302

    application, organisation = _fresh(application, organisation)
    assert organisation.status == "accredited"
    assert application.status == "awarded"
    assert application.decided_by_id == assessor.id and application.decided_at is not None
    assert application.rationale == "Every target met, with good evidence."
    mark = db.session.scalar(select(CharterMark))
    assert mark.organisation_id == organisation.id and mark.application_id == application.id
    assert len(_audit(organisation, "award_mark")) == 1
    awarded = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.subject.contains("awarded the Charter Mark"))
    )
    assert awarded.to_address == member.email and mark.certificate_number in awarded.body
    assert "Applications waiting" in assessor_client.get("/assessor/").get_data(as_text=True)
    assert _url(application) not in assessor_client.get("/assessor/").get_data(as_text=True)


def test_a_judgement_needs_a_verdict_and_an_explanation(
    assessor_client, organisation, scheme, member
):
    application = _applied(organisation, scheme, member)
    response = _judge(assessor_client, application, "LE1", "met", comment="   ")
    assert response.status_code == 200
    assert "Explain your judgement" in response.get_data(as_text=True)
    response = _judge(assessor_client, application, "LE1", "", comment="Fine")
    assert "Select whether the target is met, partly met or not met" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(MeasureJudgement)) == 0

    # Judging again replaces the earlier judgement.
    assert _judge(assessor_client, application, "LE1", "partly_met").status_code == 302
    assert _judge(assessor_client, application, "LE1", "not_met", "Short").status_code == 302
    [judgement] = db.session.scalars(select(MeasureJudgement)).all()
    assert (judgement.verdict, judgement.comment) == ("not_met", "Short")


def test_refusing_records_the_reasons_and_tells_the_members(
    assessor_client, assessor, organisation, scheme, member
):
    application = _applied(organisation, scheme, member)
    response = _refuse(assessor_client, application, reasons="")
    assert "Give the reasons for refusing the Charter Mark" in response.get_data(as_text=True)

    assert _refuse(assessor_client, application).status_code == 302
    application, organisation = _fresh(application, organisation)
    assert application.status == "refused" and organisation.status == "monitoring"
    assert application.rationale == "Core targets not met."
    assert application.decided_by_id == assessor.id
    [refused] = _audit(organisation, "refuse_mark")
    assert refused.reason == "Core targets not met."
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.subject.contains("refused")))
    assert "Core targets not met." in email.body
    assert "appeal against this decision until" in email.body and "apply again from" in email.body
    assert _marks() == 0

    # A decided application cannot be decided again.
    response = _award(assessor_client, application)
    assert response.status_code == 409
    assert "not waiting for a decision" in response.get_data(as_text=True)


def test_award_is_refused_when_the_rule_does_not_hold(
    assessor_client, organisation, scheme, member
):
    application = _applied(organisation, scheme, member)
    _judge_all(assessor_client, application, LE1="partly_met")
    response = _award(assessor_client, application)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The award rule does not hold" in html
    assert "LE1 is a core measure and is judged partly met" in html
    application, organisation = _fresh(application, organisation)
    assert application.status == "open" and organisation.status == "under_assessment"
    assert _marks() == 0 and _audit(organisation, "award_mark") == []


def test_an_assessor_who_is_a_member_cannot_award(
    assessor_client, assessor, organisation, scheme, member
):
    application = _applied(organisation, scheme, member)
    _judge_all(assessor_client, application)
    db.session.add(
        Membership(user_id=assessor.id, organisation_id=organisation.id, role="contributor")
    )
    db.session.commit()
    page = assessor_client.get(_url(application)).get_data(as_text=True)
    assert "You are a member of this organisation" in page
    assert "Award the Charter Mark" not in page and "Save judgement" not in page

    token = csrf_token(assessor_client, "/assessor/")
    response = assessor_client.post(
        _url(application, "/award"),
        data={
            "csrf_token": token,
            "award-version": str(application.version_id),
            "award-rationale": "Looks good",
        },
    )
    assert response.status_code == 403
    application, organisation = _fresh(application, organisation)
    assert application.status == "open" and organisation.status == "under_assessment"
    assert _marks() == 0


def test_two_assessors_deciding_at_once(app, assessor_client, organisation, scheme, member):
    application = _applied(organisation, scheme, member)
    _judge_all(assessor_client, application)
    second, _ = _second_assessor_client(app)
    # Both open the page at the same version.
    version = str(application.version_id)
    token = csrf_token(second, _url(application))
    assert _award(assessor_client, application).status_code == 302

    response = second.post(
        _url(application, "/award"),
        data={"csrf_token": token, "award-version": version, "award-rationale": "Also good"},
    )
    assert response.status_code == 409
    assert "Someone else changed" in response.get_data(as_text=True)
    _, organisation = _fresh(application, organisation)
    assert _marks() == 1 and len(_audit(organisation, "award_mark")) == 1


def test_a_stale_decision_is_refused(assessor_client, organisation, scheme, member):
    application = _applied(organisation, scheme, member)
    token = csrf_token(assessor_client, _url(application))
    response = assessor_client.post(
        _url(application, "/refusal"),
        data={"csrf_token": token, "refusal-version": "0", "refusal-reasons": "No"},
    )
    assert response.status_code == 409
    application, organisation = _fresh(application, organisation)
    assert application.status == "open" and organisation.status == "under_assessment"


def test_moderation(app, assessor_client, assessor, organisation, scheme, member):
    scheme.moderation_required = True
    db.session.commit()
    application = _applied(organisation, scheme, member)
    _judge_all(assessor_client, application)
    assert _award(assessor_client, application).status_code == 302
    application, organisation = _fresh(application, organisation)
    assert application.status == "awaiting_moderation"
    assert application.decided_by_id == assessor.id
    assert organisation.status == "under_assessment" and _marks() == 0

    # The first assessor cannot moderate their own award.
    page = assessor_client.get(_url(application)).get_data(as_text=True)
    assert "A different assessor must moderate this award" in page
    assert "Moderate the award" not in page
    token = csrf_token(assessor_client, "/assessor/")
    response = assessor_client.post(
        _url(application, "/moderation"),
        data={
            "csrf_token": token,
            "moderation-version": str(application.version_id),
            "moderation-decision": "confirm",
        },
    )
    assert response.status_code == 403
    assert _marks() == 0

    second, other = _second_assessor_client(app)
    assert _moderate(second, application).status_code == 302
    application, organisation = _fresh(application, organisation)
    assert organisation.status == "accredited" and application.status == "awarded"
    assert application.moderated_by_id == other.id and application.decided_by_id == assessor.id
    assert _marks() == 1
    [awarded] = _audit(organisation, "award_mark")
    assert awarded.actor_id == other.id


def test_a_moderator_can_send_an_award_back(app, assessor_client, organisation, scheme, member):
    db.session.get(Scheme, scheme.id).moderation_required = True
    db.session.commit()
    application = _applied(organisation, scheme, member)
    _judge_all(assessor_client, application)
    _award(assessor_client, application)
    second, _ = _second_assessor_client(app)
    response = _moderate(second, application, decision="send_back")
    assert "Say why you are sending the award back" in response.get_data(as_text=True)
    assert _moderate(second, application, "send_back", "LE4 evidence is thin").status_code == 302
    application, organisation = _fresh(application, organisation)
    assert application.status == "open" and application.decided_by_id is None
    assert organisation.status == "under_assessment" and _marks() == 0
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.subject.contains("sent back")))
    assert email.to_address == "assessor@example.com" and "LE4 evidence is thin" in email.body


def test_members_and_strangers_cannot_see_applications(
    member_client, client, organisation, scheme, member
):
    application = _applied(organisation, scheme, member)
    assert member_client.get(_url(application)).status_code == 403
    assert client.get(_url(application)).status_code == 302  # to sign in


def test_monetised_social_value_only_where_the_scheme_sets_a_proxy(
    assessor_client, organisation, scheme, member
):
    proxies = {"LE1": Decimal("0.30"), OPTIONAL_CODE: Decimal("1.50")}
    for measure in db.session.scalars(select(Measure).where(Measure.code.in_(proxies))):
        measure.proxy_value = proxies[measure.code]
    db.session.commit()
    application = _applied(organisation, scheme, member)
    html = assessor_client.get(_url(application)).get_data(as_text=True)
    # Each achieved 60 (two verified returns of 30): 60 × 0.30 = 18; 60 × 1.50 = 90.
    assert "£0.30 per £ (the scheme&#39;s proxy value)" in html
    assert "£1.50 per £ (the scheme&#39;s proxy value)" in html
    assert html.count("No proxy value set") == len(application.snapshot["targets"]) - 2
    total = re.search(r'id="social-value-total"><strong>([^<]+)<', html).group(1)
    assert total == "£108"
    assert "£18" in html and "£90" in html


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
    application = _applied(organisation, scheme, member)
    page = admin_client.get(_url(application))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The award rule" in html
    assert "Award the Charter Mark" not in html and "Save judgement" not in html
    token = csrf_token(admin_client, "/assessor/")
    response = admin_client.post(
        _url(application, "/award"),
        data={"csrf_token": token, "award-version": "1", "award-rationale": "Good"},
    )
    assert response.status_code == 403 and _marks() == 0


def test_a_proxy_changed_after_applying_leaves_the_application_figures_as_they_were(
    assessor_client, organisation, scheme, member
):
    le1 = db.session.scalar(select(Measure).where(Measure.code == "LE1"))
    le1.proxy_value = Decimal("0.30")
    db.session.commit()
    application = _applied(organisation, scheme, member)
    recorded = dict(application.snapshot)

    le1.proxy_value = Decimal("5.00")  # a new value in force today
    db.session.commit()

    html = assessor_client.get(_url(application)).get_data(as_text=True)
    assert "£0.30 per £ (the scheme&#39;s proxy value)" in html
    assert "£5.00" not in html
    db.session.refresh(application)
    assert application.snapshot == recorded
