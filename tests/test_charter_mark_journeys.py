"""The two Charter Mark journeys of issue 4, end to end through HTTP, each person using their
own pages: apply -> request information -> answer -> award, and apply -> refuse -> appeal ->
re-assessment."""

from __future__ import annotations

from sqlalchemy import select

from charter.extensions import db
from charter.models import Application, AuditEvent, CharterMark, Organisation
from tests.factories import (
    make_approved_plan,
    make_commissioner,
    make_contract,
    make_organisation,
    make_return,
    sign_in,
    submit,
)
from tests.organisation.plan_helpers import core_codes


def _ready_to_apply(member, scheme) -> Organisation:
    """In monitoring, with an approved plan, two verified returns meeting every target and a
    contract won from a public-sector commissioner, confirmed by it (the scheme's default rule)."""
    org = make_organisation(owner=member, scheme=scheme, status="monitoring")
    codes = core_codes(scheme)
    measures = make_approved_plan(org, scheme, {code: ("0", "50") for code in codes})
    for quarter in (1, 2):
        make_return(org, measures, quarter, {code: "30" for code in codes})
    make_contract(org, make_commissioner("Shropshire Council"), confirmation_status="confirmed")
    return org


def _client(app, user):
    client = app.test_client()
    sign_in(client, user.email)
    return client


def _apply(client, org) -> Application:
    url = f"/organisations/{org.slug}/charter-mark"
    response = submit(client, url, {"declaration": "y"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:3000]
    return db.session.scalar(select(Application).where(Application.organisation_id == org.id))


def _assess(client, application, action: str, prefix: str, **fields):
    db.session.refresh(application)
    page = f"/assessor/applications/{application.id}"
    data = {f"{prefix}-version": str(application.version_id)}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    response = submit(client, f"{page}/{action}", data, form_url=page)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:3000]


def _judge_all_met(client, application):
    page = f"/assessor/applications/{application.id}"
    for target in application.snapshot["targets"]:
        prefix = f"measure-{target['measure_id']}"
        response = submit(
            client,
            f"{page}/measures/{target['measure_id']}/judgement",
            {f"{prefix}-verdict": "met", f"{prefix}-comment": "Verified returns show it"},
            form_url=page,
        )
        assert response.status_code in (302, 303)


def _triggers(org) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.trigger)
            .where(AuditEvent.organisation_id == org.id)
            .order_by(AuditEvent.id)
        )
    )


def test_apply_request_information_answer_and_award(app, member, assessor, scheme):
    org = _ready_to_apply(member, scheme)
    member_client, assessor_client = _client(app, member), _client(app, assessor)

    application = _apply(member_client, org)
    _judge_all_met(assessor_client, application)
    _assess(
        assessor_client,
        application,
        "information-request",
        "request",
        questions="Send the supplier list behind LE1.",
    )
    page = member_client.get(f"/organisations/{org.slug}/charter-mark/application")
    assert "Send the supplier list behind LE1." in page.get_data(as_text=True)
    response = submit(
        member_client,
        f"/organisations/{org.slug}/charter-mark/application/answer",
        {"answer": "Attached to the LE1 line of the March return."},
        form_url=f"/organisations/{org.slug}/charter-mark/application",
    )
    assert response.status_code in (302, 303)
    _assess(assessor_client, application, "award", "award", rationale="Every target met.")

    db.session.refresh(org)
    assert org.mark_status == "accredited"
    assert _triggers(org) == [
        "apply_for_mark",
        "request_information",
        "provide_information",
        "award_mark",
    ]
    mark = db.session.scalar(select(CharterMark).where(CharterMark.organisation_id == org.id))
    verify = app.test_client().get(f"/c/shropshire/verify/{mark.certificate_number}")
    assert verify.status_code == 200 and "Valid" in verify.get_data(as_text=True)


def test_apply_refuse_appeal_and_reassess(app, member, assessor, admin_user, scheme):
    org = _ready_to_apply(member, scheme)
    member_client, assessor_client = _client(app, member), _client(app, assessor)
    admin_client = _client(app, admin_user)

    application = _apply(member_client, org)
    _assess(assessor_client, application, "refusal", "refusal", reasons="LE8 evidence is missing.")
    response = submit(
        member_client,
        f"/organisations/{org.slug}/charter-mark/appeal",
        {"grounds": "The LE8 certificate was on the March return."},
    )
    assert response.status_code in (302, 303)
    appeal_page = "/admin/appeals"
    listing = admin_client.get(appeal_page).get_data(as_text=True)
    assert org.name in listing
    from charter.models import Appeal

    appeal = db.session.scalar(select(Appeal).where(Appeal.organisation_id == org.id))
    response = submit(
        admin_client,
        f"/admin/appeals/{appeal.id}",
        {"decision": "uphold", "reason": "The certificate was there; assess again."},
    )
    assert response.status_code in (302, 303)

    db.session.refresh(org)
    db.session.refresh(application)
    assert org.mark_status == "under_assessment"
    assert application.status == "open"
    assert _triggers(org) == ["apply_for_mark", "refuse_mark", "reopen_assessment"]
    # The application is back in the assessors' queue.
    queue = assessor_client.get("/assessor/").get_data(as_text=True)
    assert f"/assessor/applications/{application.id}" in queue


def test_a_refused_organisation_cannot_apply_straight_away(app, member, assessor, scheme):
    org = _ready_to_apply(member, scheme)
    member_client, assessor_client = _client(app, member), _client(app, assessor)
    application = _apply(member_client, org)
    _assess(assessor_client, application, "refusal", "refusal", reasons="Not yet.")

    page = member_client.get(f"/organisations/{org.slug}/charter-mark").get_data(as_text=True)
    assert "You can apply again from" in page
    response = submit(
        member_client, f"/organisations/{org.slug}/charter-mark", {"declaration": "y"}
    )
    assert response.status_code == 409
    others = select(Application.id).where(Application.id != application.id)
    assert db.session.scalar(others) is None
