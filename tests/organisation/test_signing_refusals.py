"""Signing the charter: what the lifecycle machine refuses, who may sign, races and forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from charter.models import AuditEvent, Membership, Organisation, Signature
from charter.services.domain.lifecycle import transition
from charter.services.domain.signing import sign_charter
from tests.factories import CSRF_RE, make_user, sign_in
from tests.organisation.signing_helpers import (
    add_member,
    answer_every_question,
    codes_of,
    complete_answers,
    counts,
    open_check_answers,
    page,
    session_key,
    sign,
)
from workflows import lifecycle
from workflows.lifecycle import Actor, Forbidden, TransitionRefused

# --- refusals by the lifecycle machine -----------------------------------------------------


INCOMPLETE = [
    pytest.param({"principles": ["P1", "P2"]}, "acceptance of every principle", id="principle"),
    pytest.param({"has_authority": False}, "declaration that the person signing", id="authority"),
    pytest.param({"route": None}, "the route to the Charter Mark", id="route"),
    pytest.param({"signatory_name": " "}, "the name of the person signing", id="name"),
    pytest.param({"publishes_figures": None}, "whether to publish your verified", id="publish"),
    pytest.param({"publishes_figures": "yes"}, "whether to publish your verified", id="publish-s"),
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
