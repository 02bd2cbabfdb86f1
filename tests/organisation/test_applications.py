"""Applying for the Charter Mark and answering the assessor, from the organisation's side."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, OutboxEmail, ReturnLine
from charter.models.assessment import Application, InformationRequest
from charter.models.base import utcnow
from tests.factories import (
    make_organisation,
    make_user,
    set_stage,
    sign_in,
    signing_id_for,
    submit,
)
from tests.organisation.application_helpers import (
    NO_CONTRACT,
    application_url,
    apply_url,
    ready_to_apply,
    refused_application,
)


def audit_triggers(organisation) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.trigger)
            .where(AuditEvent.organisation_id == organisation.id)
            .order_by(AuditEvent.id)
        )
    )


def application_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Application))


def assert_refused_and_nothing_changed(response, organisation, *expected_missing):
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    for item in expected_missing:
        assert item in html
    db.session.expire_all()
    assert application_count() == 0
    assert organisation.status == "monitoring"
    assert audit_triggers(organisation) == []


# --- not eligible -----------------------------------------------------------------------------


def test_without_a_contract_the_page_says_so_and_offers_no_button(
    member_client, organisation, scheme
):
    ready_to_apply(organisation, scheme, contract=False)
    html = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert NO_CONTRACT in html
    assert "verified monitoring return" not in html.split('id="missing"')[1].split("</ul>")[0]
    assert "Apply for the Charter Mark</button>" not in html
    assert 'name="declaration"' not in html


def test_applying_without_a_contract_is_refused_and_nothing_saved(
    member_client, organisation, scheme
):
    ready_to_apply(organisation, scheme, contract=False)
    response = member_client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": _token(member_client, organisation)},
    )
    assert_refused_and_nothing_changed(response, organisation, NO_CONTRACT)


def test_applying_with_too_few_verified_returns_is_refused(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme, verified=1)
    page = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "You have 1 verified monitoring return; the scheme needs 2" in page
    assert NO_CONTRACT not in page
    response = member_client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": _token(member_client, organisation)},
    )
    assert_refused_and_nothing_changed(
        response, organisation, "You have 1 verified monitoring return; the scheme needs 2"
    )


def test_both_missing_items_are_listed(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme, contract=False, verified=0)
    response = member_client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": _token(member_client, organisation)},
    )
    assert_refused_and_nothing_changed(
        response,
        organisation,
        NO_CONTRACT,
        "You have 0 verified monitoring returns; the scheme needs 2",
    )


def test_within_the_reapply_wait_the_date_is_given(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    assessor = make_user(role="assessor")
    application = refused_application(organisation, scheme, assessor, days_ago=10)
    again = (application.decided_at + timedelta(days=scheme.reapply_wait_days)).date()
    expected = f"You can apply again from {again.day} {again:%B %Y}"
    assert expected in member_client.get(apply_url(organisation)).get_data(as_text=True)
    response = member_client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": _token(member_client, organisation)},
    )
    assert response.status_code == 409
    assert expected in response.get_data(as_text=True)
    db.session.expire_all()
    assert application_count() == 1
    assert organisation.status == "monitoring"
    assert audit_triggers(organisation) == []


def test_after_the_reapply_wait_the_organisation_may_apply_again(
    member_client, organisation, scheme
):
    ready_to_apply(organisation, scheme)
    refused_application(organisation, scheme, make_user(role="assessor"), days_ago=91)
    response = submit(member_client, apply_url(organisation), {"declaration": "y"})
    assert response.status_code == 303
    assert application_count() == 2


def _token(client, organisation) -> str:
    from tests.factories import csrf_token

    # The page carries no form when the organisation cannot apply: take a token from another.
    return csrf_token(client, f"/organisations/{organisation.slug}/members/invite")


# --- applying ---------------------------------------------------------------------------------


def test_an_eligible_organisation_sees_what_will_be_assessed(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    html = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "What will be assessed" in html
    assert "The information we have given is accurate" in html
    assert "Apply for the Charter Mark" in html
    assert "At least one contract won from a public-sector commissioner" in html  # checklist
    assert "LE10" in html


def test_the_declaration_is_required(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    response = submit(member_client, apply_url(organisation), {})
    assert response.status_code == 200
    assert "Confirm that the information you have given is accurate" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert application_count() == 0
    assert organisation.status == "monitoring"


@pytest.mark.usefixtures("on_fixture_day")
def test_applying_records_a_snapshot_and_the_audit_row(member, member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    response = submit(member_client, apply_url(organisation), {"declaration": "y"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{apply_url(organisation)}/submitted")

    db.session.expire_all()
    assert organisation.mark_status == "under_assessment"
    application = db.session.scalar(select(Application))
    assert application.status == "open"
    assert application.is_renewal is False
    assert application.submitted_by_id == member.id
    snapshot = application.snapshot
    json.dumps(snapshot)  # plain JSON all the way down
    assert snapshot["scheme"]["version"] == scheme.version
    assert snapshot["plan"]["revision"] == 1
    le1 = next(t for t in snapshot["targets"] if t["code"] == "LE1")
    assert Decimal(le1["target_value"]) == 1000
    assert le1["is_core"] is True
    assert len(snapshot["verified_returns"]) == 2
    assert snapshot["contracts"][0]["commissioner"] == "Shropshire Council"
    assert snapshot["contracts"][0]["title"] == "Road gritting"
    progress = {p["code"]: p for p in snapshot["progress"]}
    assert Decimal(progress["LE1"]["achieved"]) == 1200
    assert progress["LE1"]["is_met"] is True
    assert progress["LE10"]["is_met"] is False
    assert audit_triggers(organisation) == ["apply_for_mark"]
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == member.email))
    assert "What happens next" in email.body

    page = member_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Application sent" in page
    assert "What happens next" in page


@pytest.mark.usefixtures("on_fixture_day")
def test_the_snapshot_does_not_change_when_returns_change(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    submit(member_client, apply_url(organisation), {"declaration": "y"})
    before = db.session.scalar(select(Application)).snapshot

    for line in db.session.scalars(select(ReturnLine)):
        line.actual_value = Decimal("1")
    db.session.commit()
    db.session.expire_all()
    after = db.session.scalar(select(Application)).snapshot
    assert after == before
    le1 = next(p for p in after["progress"] if p["code"] == "LE1")
    assert Decimal(le1["achieved"]) == 1200


def test_applying_twice_is_refused(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    submit(member_client, apply_url(organisation), {"declaration": "y"})
    response = member_client.post(
        apply_url(organisation),
        data={"declaration": "y", "csrf_token": _token(member_client, organisation)},
    )
    assert response.status_code == 409
    assert application_count() == 1


def test_renewal_from_renewal_due(member_client, organisation, scheme):
    ready_to_apply(organisation, scheme, status="renewal_due")
    html = member_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "Apply to renew" in html
    response = submit(member_client, apply_url(organisation), {"declaration": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert organisation.mark_status == "renewal_under_assessment"
    assert db.session.scalar(select(Application)).is_renewal is True
    assert audit_triggers(organisation) == ["apply_for_renewal"]


def test_staff_may_look_but_not_apply(app, assessor_client, organisation, scheme):
    ready_to_apply(organisation, scheme)
    html = assessor_client.get(apply_url(organisation)).get_data(as_text=True)
    assert "Only members of" in html
    assert 'name="declaration"' not in html
    response = assessor_client.post(apply_url(organisation), data={"declaration": "y"})
    assert response.status_code in (400, 404)
    assert application_count() == 0


def test_a_member_of_another_organisation_gets_404(app, organisation, scheme):
    ready_to_apply(organisation, scheme)
    other = make_user()
    make_organisation(owner=other, scheme=scheme)
    client = app.test_client()
    sign_in(client, other.email)
    assert client.get(apply_url(organisation)).status_code == 404
    assert client.get(application_url(organisation)).status_code == 404


# --- answering the assessor -------------------------------------------------------------------


def asked(organisation, scheme, assessor) -> tuple[Application, InformationRequest]:
    """What the assessor's side leaves behind when asking for more information."""
    ready_to_apply(organisation, scheme)
    application = Application(
        organisation_id=organisation.id,
        signing_id=signing_id_for(organisation.id),
        scheme_id=scheme.id,
        status="information_requested",
        snapshot={},
        submitted_at=utcnow() - timedelta(days=3),
    )
    db.session.add(application)
    db.session.flush()
    request = InformationRequest(
        application_id=application.id,
        questions="Send the invoices behind your LE1 figure.",
        requested_by_id=assessor.id,
    )
    set_stage(organisation, "information_requested")
    db.session.add(request)
    db.session.commit()
    return application, request


def test_the_questions_are_shown_with_an_answer_form(member_client, organisation, scheme):
    asked(organisation, scheme, make_user(role="assessor"))
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "Send the invoices behind your LE1 figure." in html
    assert 'name="answer"' in html


def test_answering_sends_the_application_back_to_the_assessor(
    member, member_client, organisation, scheme
):
    application, request = asked(organisation, scheme, make_user(role="assessor"))
    response = submit(
        member_client,
        f"{application_url(organisation)}/answer",
        {"answer": "  The invoices are attached to the Q2 return.  "},
        form_url=application_url(organisation),
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert organisation.mark_status == "under_assessment"
    assert application.status == "open"
    assert request.answer == "The invoices are attached to the Q2 return."
    assert request.answered_by_id == member.id
    assert request.answered_at is not None
    assert audit_triggers(organisation) == ["provide_information"]
    html = member_client.get(application_url(organisation)).get_data(as_text=True)
    assert "The invoices are attached to the Q2 return." in html
    assert 'name="answer"' not in html


def test_an_empty_answer_is_refused_and_nothing_saved(member_client, organisation, scheme):
    application, request = asked(organisation, scheme, make_user(role="assessor"))
    response = submit(
        member_client,
        f"{application_url(organisation)}/answer",
        {"answer": "   "},
        form_url=application_url(organisation),
    )
    assert response.status_code == 200
    assert "Enter your answer to the assessor" in response.get_data(as_text=True)
    db.session.expire_all()
    assert organisation.mark_status == "information_requested"
    assert application.status == "information_requested"
    assert request.answer is None
    assert audit_triggers(organisation) == []


def test_an_answer_over_5000_characters_is_refused(member_client, organisation, scheme):
    _application, request = asked(organisation, scheme, make_user(role="assessor"))
    response = submit(
        member_client,
        f"{application_url(organisation)}/answer",
        {"answer": "x" * 5001},
        form_url=application_url(organisation),
    )
    assert "5,000 characters or fewer" in response.get_data(as_text=True)
    db.session.expire_all()
    assert request.answer is None
