"""Signing the charter: the question pages, check your answers, and the lifecycle behind them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from charter.models import AuditEvent, Membership, Organisation, OutboxEmail, Signature
from charter.services.lifecycle import transition
from charter.services.schemes import load_scheme_text, principles_of
from charter.services.signing import sign_charter
from tests.factories import CSRF_RE, make_organisation, make_user, sign_in, submit
from workflows import lifecycle
from workflows.lifecycle import Actor, Forbidden, TransitionRefused

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"')
SIGNATORY = {
    "signatory_name": "Sam Signer",
    "signatory_role": "Managing Director",
    "has_authority": "y",
}


def page(organisation, name: str = "") -> str:
    base = f"/organisations/{organisation.slug}/sign-the-charter"
    return f"{base}/{name}" if name else base


def codes_of(scheme) -> list[str]:
    return [p.code for p in principles_of(scheme)]


def answer_every_question(client, organisation, scheme, route="working_towards"):
    responses = [
        submit(client, page(organisation, "principles"), {"principles": codes_of(scheme)}),
        submit(client, page(organisation, "signatory"), SIGNATORY),
        submit(client, page(organisation, "route"), {"route": route}),
    ]
    for response in responses:
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert responses[-1].location.endswith(page(organisation, "check-your-answers"))


def open_check_answers(client, organisation) -> dict:
    """GET check your answers; return what its form would post (CSRF token and version)."""
    response = client.get(page(organisation, "check-your-answers"))
    assert response.status_code == 200, response.location
    html = response.get_data(as_text=True)
    return {
        "csrf_token": CSRF_RE.search(html).group(1),
        "version": VERSION_RE.search(html).group(1),
    }


def sign(client, organisation, form: dict):
    return client.post(page(organisation, "check-your-answers"), data=form)


def counts(db, organisation) -> dict:
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    org = db.session.get(Organisation, organisation.id)
    return {
        "status": org.status,
        "version": org.version_id,
        "route": org.route,
        "signatures": count(Signature, Signature.organisation_id == organisation.id),
        "audit": count(AuditEvent, AuditEvent.organisation_id == organisation.id),
        "emails": count(OutboxEmail),
    }


def add_member(db, organisation, email: str, role: str = "contributor"):
    user = make_user(email=email, full_name="Colin Colleague")
    db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=role))
    db.session.commit()
    return user


def session_key(organisation) -> str:
    return f"sign-the-charter:{organisation.id}"


def complete_answers(scheme, **changes) -> dict:
    answers = {
        "scheme_id": scheme.id,
        "principles": codes_of(scheme),
        "signatory_name": "Sam Signer",
        "signatory_role": "Managing Director",
        "has_authority": True,
        "route": "working_towards",
    }
    answers.update(changes)
    return answers


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
    assert db.session.get(Organisation, organisation.id).scheme_id == scheme.id

    event = db.session.scalar(select(AuditEvent))
    assert (event.trigger, event.from_state, event.to_state) == ("sign", "registered", "signatory")
    assert event.actor_id == member.id

    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()[-2:]
    assert {e.to_address for e in emails} == {member.email, colleague.email}
    for email in emails:
        assert organisation.name in email.subject
        assert "write your action plan" in email.body
        assert "Sam Signer, Managing Director" in email.body

    confirmation = member_client.get(response.location)
    html = confirmation.get_data(as_text=True)
    assert confirmation.status_code == 200
    assert "Charter signed" in html
    assert "govuk-panel--confirmation" in html
    assert organisation.org_id in html
    assert "What happens next" in html

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


def test_the_reference_is_the_slug_without_an_org_id(app, member, scheme):
    organisation = make_organisation(
        owner=member, scheme=scheme, identifier_scheme="none", identifier=None
    )
    client = app.test_client()
    sign_in(client, member.email)
    answer_every_question(client, organisation, scheme)
    sign(client, organisation, open_check_answers(client, organisation))
    html = client.get(page(organisation, "signed")).get_data(as_text=True)
    assert f"<strong>{organisation.slug}</strong>" in html


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
    ],
)
def test_check_your_answers_sends_you_to_the_first_unanswered_question(
    member_client, organisation, scheme, answered, sent_to
):
    if "principles" in answered:
        submit(member_client, page(organisation, "principles"), {"principles": codes_of(scheme)})
    if "signatory" in answered:
        submit(member_client, page(organisation, "signatory"), SIGNATORY)
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


# --- refusals by the lifecycle machine -----------------------------------------------------


INCOMPLETE = [
    pytest.param({"principles": ["P1", "P2"]}, "acceptance of every principle", id="principle"),
    pytest.param({"has_authority": False}, "declaration that the person signing", id="authority"),
    pytest.param({"route": None}, "the route to the Charter Mark", id="route"),
    pytest.param({"signatory_name": " "}, "the name of the person signing", id="name"),
]


@pytest.mark.parametrize(("change", "missing"), INCOMPLETE)
def test_the_machine_refuses_an_incomplete_signature_over_http(
    member_client, db, organisation, scheme, change, missing
):
    """Answers that got past the pages some other way still cannot be signed."""
    before = counts(db, organisation)
    form = {"csrf_token": CSRF_RE.search(member_client.get(page(organisation)).text).group(1)}
    with member_client.session_transaction() as flask_session:
        flask_session[session_key(organisation)] = complete_answers(scheme, **change)
    response = sign(member_client, organisation, {**form, "version": before["version"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The charter cannot be signed yet." in html
    assert missing in html
    assert "Nothing was changed." in html
    assert counts(db, organisation) == before


@pytest.mark.parametrize(("change", "missing"), INCOMPLETE)
def test_the_service_refuses_an_incomplete_signature(
    db, member, organisation, scheme, change, missing
):
    before = counts(db, organisation)
    with pytest.raises(TransitionRefused) as refused:
        sign_charter(organisation, member, complete_answers(scheme, **change), 1)
    assert any(missing in item for item in refused.value.missing)
    db.session.rollback()
    assert counts(db, organisation) == before


def test_an_assessor_cannot_sign_through_the_service(db, assessor, organisation, scheme):
    before = counts(db, organisation)
    with pytest.raises(Forbidden, match="You do not have permission to sign the charter"):
        sign_charter(organisation, assessor, complete_answers(scheme), organisation.version_id)
    db.session.rollback()
    assert counts(db, organisation) == before


def test_a_non_member_cannot_sign_through_the_service(organisation, scheme):
    stranger = make_user(email="stranger@example.com")
    with pytest.raises(Forbidden, match="Only members of this organisation"):
        sign_charter(organisation, stranger, complete_answers(scheme), organisation.version_id)


# --- who may use the pages -----------------------------------------------------------------

ALL_PAGES = ["", "principles", "signatory", "route", "check-your-answers", "signed"]


def test_a_signed_in_non_member_gets_not_found_and_changes_nothing(app, db, organisation, scheme):
    stranger = make_user(email="stranger@example.com")
    client = app.test_client()
    sign_in(client, stranger.email)
    before = counts(db, organisation)
    for name in ALL_PAGES:
        assert client.get(page(organisation, name)).status_code == 404, name
    token = CSRF_RE.search(client.get("/").text).group(1)
    with client.session_transaction() as flask_session:
        flask_session[session_key(organisation)] = complete_answers(scheme)
    response = sign(client, organisation, {"csrf_token": token, "version": before["version"]})
    assert response.status_code == 404
    assert counts(db, organisation) == before


def test_scheme_staff_cannot_use_the_signing_pages(assessor_client, organisation):
    for name in ALL_PAGES:
        assert assessor_client.get(page(organisation, name)).status_code == 404, name


def test_signing_needs_a_signed_in_person_with_a_confirmed_email(app, db, organisation):
    anonymous = app.test_client().get(page(organisation, "principles"))
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.location

    unconfirmed = make_user(email="new@example.com", verified=False)
    db.session.add(Membership(user_id=unconfirmed.id, organisation_id=organisation.id))
    db.session.commit()
    client = app.test_client()
    sign_in(client, unconfirmed.email)
    response = client.get(page(organisation, "principles"))
    assert response.status_code == 302
    assert "/sign-in" not in response.location


def test_the_confirmation_page_is_only_for_signed_organisations(member_client, organisation):
    response = member_client.get(page(organisation, "signed"))
    assert response.status_code == 302
    assert response.location.endswith(page(organisation))


# --- signing twice, and two people at once ---------------------------------------------------


def test_signing_twice_is_refused(member_client, db, organisation, scheme):
    answer_every_question(member_client, organisation, scheme)
    form = open_check_answers(member_client, organisation)
    assert sign(member_client, organisation, form).status_code == 302
    after_first = counts(db, organisation)

    # The same button pressed again (a double click, or the browser's back button).
    again = sign(member_client, organisation, form)
    assert again.status_code == 409

    # Fresh answers and the current version: the lifecycle itself refuses.
    with member_client.session_transaction() as flask_session:
        flask_session[session_key(organisation)] = complete_answers(scheme)
    current = {**form, "version": after_first["version"]}
    refused = sign(member_client, organisation, current)
    assert refused.status_code == 409
    assert "You cannot sign the charter while the organisation is ‘Charter signatory’" in (
        refused.get_data(as_text=True)
    )
    assert counts(db, organisation) == after_first
    assert after_first["signatures"] == 1
    assert after_first["audit"] == 1


def test_two_people_signing_at_once_one_is_told_someone_else_changed_it(
    app, db, member, member_client, organisation, scheme
):
    colleague = add_member(db, organisation, "colleague@example.com")
    colleague_client = app.test_client()
    sign_in(colleague_client, colleague.email)

    answer_every_question(member_client, organisation, scheme)
    answer_every_question(colleague_client, organisation, scheme, route="already_delivering")
    member_form = open_check_answers(member_client, organisation)
    colleague_form = open_check_answers(colleague_client, organisation)

    assert sign(member_client, organisation, member_form).status_code == 302
    after_first = counts(db, organisation)

    response = sign(colleague_client, organisation, colleague_form)
    assert response.status_code == 409
    assert "Someone else changed this organisation" in response.get_data(as_text=True)
    assert counts(db, organisation) == after_first
    assert after_first["route"] == "working_towards"
    assert db.session.scalar(select(Signature.signed_by_id)) == member.id


def test_the_version_column_stops_a_second_concurrent_transition(db, member, organisation):
    """Two requests that both loaded version 1: whichever commits second fails."""
    actor = Actor(kind=lifecycle.MEMBER, label=member.full_name, user_id=member.id, is_member=True)

    def recorder(session):
        def record(rec):
            session.add(
                AuditEvent(
                    organisation_id=rec.organisation.id,
                    actor_id=rec.actor.user_id,
                    actor_label=rec.actor.label,
                    trigger=rec.trigger,
                    from_state=rec.from_state,
                    to_state=rec.to_state,
                )
            )

        return record

    with Session(db.engine) as first, Session(db.engine) as second:
        mine = first.get(Organisation, organisation.id)
        theirs = second.get(Organisation, organisation.id)
        assert mine.version_id == theirs.version_id == 1

        lifecycle.fire(mine, "withdraw", actor, record=recorder(first))
        lifecycle.fire(theirs, "withdraw", actor, record=recorder(second))
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()

    after = counts(db, organisation)
    assert (after["status"], after["version"], after["audit"]) == ("withdrawn", 2, 1)


def test_the_service_refuses_a_stale_version(db, member, organisation, scheme):
    before = counts(db, organisation)
    with pytest.raises(StaleDataError):
        sign_charter(organisation, member, complete_answers(scheme), before["version"] - 1)
    db.session.rollback()
    assert counts(db, organisation) == before


def test_a_transition_elsewhere_makes_the_open_page_stale(
    member_client, db, member, organisation, scheme
):
    answer_every_question(member_client, organisation, scheme)
    form = open_check_answers(member_client, organisation)
    # Meanwhile a colleague withdraws and the organisation is back to "withdrawn".
    actor = Actor(kind=lifecycle.MEMBER, label="Colleague", user_id=member.id, is_member=True)
    transition(organisation, "withdraw", actor)
    db.session.commit()
    before = counts(db, organisation)
    response = sign(member_client, organisation, form)
    assert response.status_code == 409
    assert "Someone else changed this organisation" in response.get_data(as_text=True)
    assert counts(db, organisation) == before


# --- forms ---------------------------------------------------------------------------------


def test_signing_without_a_csrf_token_is_refused(member_client, db, organisation, scheme):
    answer_every_question(member_client, organisation, scheme)
    form = open_check_answers(member_client, organisation)
    before = counts(db, organisation)
    response = sign(member_client, organisation, {"version": form["version"]})
    assert response.status_code == 400
    assert counts(db, organisation) == before


def test_question_pages_need_a_csrf_token_too(member_client, organisation, scheme):
    response = member_client.post(
        page(organisation, "principles"), data={"principles": codes_of(scheme)}
    )
    assert response.status_code == 400


def test_a_missing_version_is_a_bad_request(member_client, db, organisation, scheme):
    answer_every_question(member_client, organisation, scheme)
    form = open_check_answers(member_client, organisation)
    before = counts(db, organisation)
    response = sign(member_client, organisation, {"csrf_token": form["csrf_token"]})
    assert response.status_code == 400
    assert counts(db, organisation) == before
