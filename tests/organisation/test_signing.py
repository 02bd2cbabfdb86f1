"""Signing the charter: the start page, the question pages and check your answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Organisation, OutboxEmail, Signature
from charter.services.domain import publishing
from charter.services.domain.schemes import load_scheme_text, principles_of
from charter.services.domain.signings import signing_of
from tests.factories import make_organisation, sign_in, submit
from tests.organisation.signing_helpers import (
    SIGNATORY,
    add_member,
    answer_every_question,
    codes_of,
    counts,
    open_check_answers,
    page,
    session_key,
    sign,
)

# --- the start page ------------------------------------------------------------------------


def test_start_page_explains_signing(member_client, organisation, scheme):
    response = member_client.get(page(organisation))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sign the charter" in html
    assert f"‘{scheme.name}’, version {scheme.version}" in html
    assert "Already delivering social value" in html
    assert "Working towards it, to a timetabled plan" in html
    assert "full name and job title of the person signing" in html
    assert "Start now" in html
    assert page(organisation, "principles") in html


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("signatory", "has already signed the charter. Its current stage is ‘Charter signatory’"),
        ("monitoring", "has already signed the charter. Its current stage is ‘Monitoring’"),
        ("suspended", "is suspended, so it cannot sign the charter"),
    ],
)
def test_start_page_says_why_an_organisation_cannot_sign(app, member, scheme, status, reason):
    organisation = make_organisation(owner=member, scheme=scheme, status=status)
    client = app.test_client()
    sign_in(client, member.email)
    html = client.get(page(organisation)).get_data(as_text=True)
    assert reason in html
    assert "Start now" not in html
    # The question pages send people back to the explanation.
    for name in ("principles", "signatory", "route", "check-your-answers"):
        response = client.get(page(organisation, name))
        assert response.status_code == 302
        assert response.location.endswith(page(organisation))


# --- the whole journey ---------------------------------------------------------------------


def test_signing_the_charter_from_start_to_finish(member_client, db, member, organisation, scheme):
    colleague = add_member(db, organisation, "colleague@example.com")
    before = counts(db, organisation)
    answer_every_question(member_client, organisation, scheme)

    check = member_client.get(page(organisation, "check-your-answers")).get_data(as_text=True)
    for text in ("Sam Signer", "Managing Director", "Working towards it, to a timetabled plan"):
        assert text in check
    for principle in principles_of(scheme):
        assert principle.title in check
    for name in ("principles", "signatory", "route"):
        assert f'href="{page(organisation, name)}"' in check  # the Change links
    assert counts(db, organisation) == before  # nothing written until the last button

    response = sign(member_client, organisation, open_check_answers(member_client, organisation))
    assert response.status_code == 302
    assert response.location.endswith(page(organisation, "signed"))

    after = counts(db, organisation)
    assert after["status"] == "signatory"
    assert after["route"] == "working_towards"
    assert after["signatures"] == 1
    assert after["audit"] == 1
    # The answer to "publish your verified figures?" is in the audit trail, by the signer.
    assert after["consent_audit"] == 1
    consent = db.session.scalar(
        select(AuditEvent).where(AuditEvent.trigger.in_(publishing.AUDIT_LABELS))
    )
    assert consent.actor_id == member.id
    assert consent.trigger == (
        publishing.AGREED if after["publishes_figures"][0] else publishing.DECLINED
    )
    assert after["version"] == before["version"] + 1
    assert after["emails"] == before["emails"] + 2

    signature = db.session.scalar(select(Signature))
    assert signature.scheme_id == scheme.id
    assert signature.accepted_principles == codes_of(scheme)
    assert (signature.signatory_name, signature.signatory_role) == (
        "Sam Signer",
        "Managing Director",
    )
    assert signature.has_authority is True
    assert signature.route == "working_towards"
    assert signature.signed_by_id == member.id
    assert signing_of(db.session.get(Organisation, organisation.id)).scheme_id == scheme.id

    event = db.session.scalar(select(AuditEvent))
    assert (event.trigger, event.from_state, event.to_state) == ("sign", "registered", "signatory")
    assert event.actor_id == member.id

    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()[-2:]
    assert {e.to_address for e in emails} == {member.email, colleague.email}
    for email in emails:
        assert organisation.name in email.subject
        assert "write your action plan" in email.body
        assert "Sam Signer, Managing Director" in email.body
        assert f"Signature reference: {signature.reference}" in email.body

    confirmation = member_client.get(response.location)
    html = confirmation.get_data(as_text=True)
    assert confirmation.status_code == 200
    assert "Charter signed" in html
    assert "govuk-panel--confirmation" in html
    # The reference is the signature's own, not the company number (issue 11).
    assert re.fullmatch(r"SIG-\d{4}-\d{5}", signature.reference)
    assert f"<strong>{signature.reference}</strong>" in html
    assert organisation.org_id not in html
    assert "What happens next" in html
    plan_link = f'<a class="govuk-link" href="/organisations/{organisation.slug}/action-plan">'
    assert f"{plan_link}Write your action plan</a>" in html

    # The answers were cleared: the journey starts afresh (and here, is closed).
    with member_client.session_transaction() as flask_session:
        assert session_key(organisation) not in flask_session


def test_already_delivering_is_told_about_the_first_return(
    member_client, db, member, organisation, scheme
):
    answer_every_question(member_client, organisation, scheme, route="already_delivering")
    sign(member_client, organisation, open_check_answers(member_client, organisation))
    assert counts(db, organisation)["route"] == "already_delivering"
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == member.email))
    assert "first monitoring return" in email.body
    html = member_client.get(page(organisation, "signed")).get_data(as_text=True)
    assert "first monitoring return" in html


def test_each_signing_has_its_own_reference_with_or_without_an_org_id(app, member, scheme):
    organisation = make_organisation(
        owner=member, scheme=scheme, identifier_scheme="none", identifier=None
    )
    client = app.test_client()
    sign_in(client, member.email)
    answer_every_question(client, organisation, scheme)
    sign(client, organisation, open_check_answers(client, organisation))
    html = client.get(page(organisation, "signed")).get_data(as_text=True)
    signature = db.session.scalar(
        select(Signature).where(Signature.organisation_id == organisation.id)
    )
    assert f"<strong>{signature.reference}</strong>" in html
    assert f"<strong>{organisation.slug}</strong>" not in html


@pytest.mark.parametrize("status", ["lapsed", "withdrawn"])
def test_an_organisation_can_sign_again_after_lapsing_or_withdrawing(
    app, db, member, scheme, status
):
    organisation = make_organisation(owner=member, scheme=scheme, status=status)
    client = app.test_client()
    sign_in(client, member.email)
    answer_every_question(client, organisation, scheme)
    assert sign(client, organisation, open_check_answers(client, organisation)).status_code == 302
    event = db.session.scalar(select(AuditEvent))
    assert (event.from_state, event.to_state) == (status, "signatory")


def test_answers_are_shown_again_when_going_back(member_client, organisation, scheme):
    answer_every_question(member_client, organisation, scheme, route="already_delivering")
    html = member_client.get(page(organisation, "principles")).get_data(as_text=True)
    assert html.count("checked") == len(codes_of(scheme))
    html = member_client.get(page(organisation, "signatory")).get_data(as_text=True)
    assert 'value="Sam Signer"' in html
    assert 'value="Managing Director"' in html
    html = member_client.get(page(organisation, "route")).get_data(as_text=True)
    assert re.search(r'value="already_delivering"\s+checked', html)


def test_changing_an_answer_returns_to_check_your_answers(member_client, organisation, scheme):
    answer_every_question(member_client, organisation, scheme)
    response = submit(member_client, page(organisation, "route"), {"route": "already_delivering"})
    assert response.location.endswith(page(organisation, "check-your-answers"))
    html = member_client.get(response.location).get_data(as_text=True)
    assert "Already delivering social value" in html


@pytest.mark.parametrize(
    ("answered", "sent_to"),
    [
        ((), "principles"),
        (("principles",), "signatory"),
        (("principles", "signatory"), "route"),
        (("principles", "signatory", "route"), "publish-figures"),
    ],
)
def test_check_your_answers_sends_you_to_the_first_unanswered_question(
    member_client, organisation, scheme, answered, sent_to
):
    if "principles" in answered:
        submit(member_client, page(organisation, "principles"), {"principles": codes_of(scheme)})
    if "signatory" in answered:
        submit(member_client, page(organisation, "signatory"), SIGNATORY)
    if "route" in answered:
        submit(member_client, page(organisation, "route"), {"route": "working_towards"})
    response = member_client.get(page(organisation, "check-your-answers"))
    assert response.status_code == 302
    assert response.location.endswith(page(organisation, sent_to))


def test_principles_ticked_under_an_older_scheme_version_must_be_ticked_again(
    member_client, app, db, organisation, scheme
):
    answer_every_question(member_client, organisation, scheme)
    text = Path(app.config["DEFAULT_SCHEME_FILE"]).read_text(encoding="utf-8")
    newer = load_scheme_text(text.replace("Be a fair employer", "Be a fair and good employer"))
    db.session.commit()
    assert newer.created

    response = member_client.get(page(organisation, "check-your-answers"))
    assert response.location.endswith(page(organisation, "principles"))
    html = member_client.get(page(organisation, "principles")).get_data(as_text=True)
    assert "Be a fair and good employer" in html
    assert "checked" not in html


# --- refusals on the question pages ----------------------------------------------------------


def test_every_principle_must_be_ticked(member_client, db, organisation, scheme):
    before = counts(db, organisation)
    principles = principles_of(scheme)
    ticked = [p.code for p in principles if p.code not in ("P2", "P4")]
    response = submit(member_client, page(organisation, "principles"), {"principles": ticked})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error: " in html
    assert "Confirm your organisation commits to every principle" in html
    missing = [p for p in principles if p.code in ("P2", "P4")]
    expected = "Not yet confirmed: " + "; ".join(f"‘{p.title}’" for p in missing)
    assert expected.replace("’", "&#8217;") in html or expected in html
    assert 'href="#principle-P2"' in html  # the summary links to the first one missing
    assert 'id="principle-P2"' in html
    # The ticks given are kept on the page, and nothing was remembered or saved.
    assert html.count("checked") == len(ticked)
    with member_client.session_transaction() as flask_session:
        assert session_key(organisation) not in flask_session
    assert counts(db, organisation) == before


def test_ticking_a_code_that_is_not_a_principle_does_not_count(member_client, organisation):
    response = submit(member_client, page(organisation, "principles"), {"principles": ["P99"]})
    assert "Confirm your organisation commits to every principle" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signatory_name": ""}, "Enter the full name of the person signing"),
        ({"signatory_name": "   "}, "Enter the full name of the person signing"),
        ({"signatory_name": "x" * 201}, "Full name must be 200 characters or fewer"),
        ({"signatory_role": ""}, "Enter the role or job title of the person signing"),
        ({"has_authority": None}, "Confirm you have authority to sign for your organisation"),
    ],
)
def test_the_person_signing_must_be_named_with_authority(
    member_client, db, organisation, scheme, change, message
):
    submit(member_client, page(organisation, "principles"), {"principles": codes_of(scheme)})
    before = counts(db, organisation)
    data = {k: v for k, v in {**SIGNATORY, **change}.items() if v is not None}
    response = submit(member_client, page(organisation, "signatory"), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert f"I confirm I have the authority to sign on behalf of {organisation.name}" in html
    with member_client.session_transaction() as flask_session:
        assert "signatory_name" not in flask_session[session_key(organisation)]
    assert counts(db, organisation) == before


@pytest.mark.parametrize("route", [None, "", "someday"])
def test_a_route_must_be_chosen(member_client, db, organisation, scheme, route):
    submit(member_client, page(organisation, "principles"), {"principles": codes_of(scheme)})
    submit(member_client, page(organisation, "signatory"), SIGNATORY)
    before = counts(db, organisation)
    data = {} if route is None else {"route": route}
    response = submit(member_client, page(organisation, "route"), data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Select how your organisation will meet the charter" in html
    assert "show how you are currently delivering social value" in html.lower()
    assert "to a timetabled plan" in html
    with member_client.session_transaction() as flask_session:
        assert "route" not in flask_session[session_key(organisation)]
    assert counts(db, organisation) == before


def test_the_signatory_s_name_starts_as_the_signed_in_person_s(member_client, member, organisation):
    html = member_client.get(page(organisation, "signatory")).get_data(as_text=True)
    assert re.search(
        rf'<input[^>]*id="signatory_name"[^>]*value="{re.escape(member.full_name)}"', html
    )
    assert "Change it if someone else is signing" in html
