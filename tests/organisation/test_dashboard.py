"""The list of a person's organisations and one organisation's dashboard."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from charter.extensions import db as _db
from charter.models import AuditEvent, Membership, Signature
from charter.models.base import utcnow
from charter.organisation.views.dashboard import NEXT_STEPS
from tests.factories import make_organisation, make_user, set_stage, sign_in
from workflows.lifecycle import STAGE_LABELS


def dashboard_url(organisation) -> str:
    return f"/organisations/{organisation.slug}"


def add_events(organisation, count: int, start: int = 0) -> None:
    """Audit rows as the lifecycle writes them (the dashboard only reads them)."""
    for i in range(start, start + count):
        _db.session.add(
            AuditEvent(
                organisation_id=organisation.id,
                actor_label=f"Person {i}",
                trigger="suspend" if i % 2 else "lift_suspension",
                from_state="monitoring" if i % 2 else "suspended",
                to_state="suspended" if i % 2 else "monitoring",
                reason=f"Reason {i}",
                created_at=utcnow() - timedelta(minutes=1000 - i),
            )
        )
    _db.session.commit()


def test_the_list_shows_each_organisation_with_status_and_role(member_client, member, scheme):
    owned = make_organisation(owner=member, scheme=scheme, name="Alpha Ltd")
    joined = make_organisation(scheme=scheme, name="Beta CIC", status="accredited")
    _db.session.add(Membership(user_id=member.id, organisation_id=joined.id, role="contributor"))
    _db.session.commit()
    make_organisation(scheme=scheme, name="Gamma Not Mine")

    html = member_client.get("/organisations/").get_data(as_text=True)
    assert html.index("Alpha Ltd") < html.index("Beta CIC")
    assert f'href="{dashboard_url(owned)}"' in html
    assert "Owner" in html and "Contributor" in html
    assert "Charter Mark holder" in html and "govuk-tag--green" in html
    assert "Gamma Not Mine" not in html
    assert "Register an organisation" in html


def test_the_list_with_one_organisation_does_not_redirect(member_client, organisation):
    response = member_client.get("/organisations/")
    assert response.status_code == 200
    assert organisation.name in response.get_data(as_text=True)


def test_the_empty_list_explains_what_to_do(member_client):
    html = member_client.get("/organisations/").get_data(as_text=True)
    assert "You are not a member of any organisation yet" in html
    assert 'href="/organisations/new"' in html


def test_the_dashboard_of_a_registered_organisation(member_client, organisation):
    html = member_client.get(dashboard_url(organisation)).get_data(as_text=True)
    assert organisation.name in html
    assert "govuk-tag--grey" in html and "Registered" in html
    assert NEXT_STEPS["registered"] in html
    assert "Register your organisation" in html
    assert f'href="/organisations/{organisation.slug}/sign-the-charter"' in html
    assert "Not yet started" in html
    assert html.count("Cannot start yet") == 4
    for task in (
        "Submit your action plan",
        "Record contracts won",
        "Send monitoring returns",
        "Apply for the Charter Mark",
    ):
        assert task in html
    assert organisation.org_id in html
    assert "Nothing has changed since the organisation was registered" in html
    # The charter it registered with, linking to that charter's pages.
    assert (
        '<a class="govuk-link" href="/c/shropshire/">Social Value Charter for Shropshire</a>, '
        "run by Social Value Group"
    ) in html


def test_the_dashboard_of_a_signed_organisation_shows_the_signature_and_history(
    app, member, scheme
):
    organisation = make_organisation(
        owner=member, scheme=scheme, status="signatory", route="working_towards"
    )
    _db.session.add(
        Signature(
            organisation_id=organisation.id,
            scheme_id=scheme.id,
            signed_by_id=member.id,
            signatory_name="Olive Owner",
            signatory_role="Managing director",
            has_authority=True,
            route="working_towards",
            accepted_principles=["P1"],
            signed_at=utcnow().replace(year=2026, month=3, day=14),
        )
    )
    _db.session.add(
        AuditEvent(
            organisation_id=organisation.id,
            actor_id=member.id,
            actor_label="Olive Owner",
            trigger="sign",
            from_state="registered",
            to_state="signatory",
            reason="Board decision of March",
        )
    )
    _db.session.commit()
    client = app.test_client()
    sign_in(client, member.email)

    html = client.get(dashboard_url(organisation)).get_data(as_text=True)
    assert "Charter signatory" in html
    assert NEXT_STEPS["signatory"] in html
    assert "sign-the-charter" not in html
    assert "14 March 2026 by Olive Owner, Managing director" in html
    assert "Working towards it, to a timetabled plan" in html
    assert "Signed the charter" in html
    assert "by Olive Owner" in html
    assert "Registered to Charter signatory" in html
    assert "Reason: Board decision of March" in html


@pytest.mark.parametrize("state", list(STAGE_LABELS))
def test_every_state_has_a_next_step_on_the_dashboard(member_client, member, scheme, state):
    organisation = make_organisation(owner=member, scheme=scheme, status=state)
    response = member_client.get(dashboard_url(organisation))
    assert response.status_code == 200
    assert str(escape(NEXT_STEPS[state])) in response.get_data(as_text=True)


def test_next_steps_cover_exactly_the_lifecycle_states():
    assert set(NEXT_STEPS) == set(STAGE_LABELS)


def test_scheme_staff_may_view_but_not_start_signing(assessor_client, admin_client, organisation):
    for client in (assessor_client, admin_client):
        response = client.get(dashboard_url(organisation))
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert organisation.name in html
        assert "sign-the-charter" not in html


def test_a_contributor_sees_the_dashboard(app, organisation):
    colleague = make_user(email="colleague@example.com")
    _db.session.add(
        Membership(user_id=colleague.id, organisation_id=organisation.id, role="contributor")
    )
    _db.session.commit()
    client = app.test_client()
    sign_in(client, colleague.email)
    response = client.get(dashboard_url(organisation))
    assert response.status_code == 200
    assert "sign-the-charter" in response.get_data(as_text=True)


def test_an_unknown_organisation_is_not_found(member_client):
    assert member_client.get("/organisations/no-such-organisation").status_code == 404


def test_the_dashboard_query_count_does_not_grow_with_the_history(
    member_client, organisation, query_counter
):
    add_events(organisation, 2)
    with query_counter() as few:
        small = member_client.get(dashboard_url(organisation))
    assert small.status_code == 200

    add_events(organisation, 40, start=2)
    with query_counter() as many:
        large = member_client.get(dashboard_url(organisation))
    html = large.get_data(as_text=True)
    assert html.count("Reason: Reason") == 42
    assert "Person 41" in html
    assert many.value == few.value
    # 8, plus the dated warnings' checks (an open annual confirmation, an audit in progress)
    # and the contract monitoring history.
    assert few.value <= 12


DONE, NOT_YET = "Completed", "Cannot start yet"


@pytest.mark.parametrize(
    ("status", "before_suspension", "expected"),
    [
        ("signatory", None, [DONE, DONE, "Not yet started", "Not yet started", NOT_YET, NOT_YET]),
        (
            "plan_submitted",
            None,
            [DONE, DONE, "Waiting for review", "Not yet started", NOT_YET, NOT_YET],
        ),
        ("monitoring", None, [DONE, DONE, DONE, "Not yet started", "Ongoing", NOT_YET]),
        (
            "information_requested",
            None,
            [DONE, DONE, DONE, "Not yet started", "Ongoing", "Information requested"],
        ),
        ("accredited", None, [DONE, DONE, DONE, "Not yet started", "Ongoing", DONE]),
        ("suspended", "monitoring", [DONE, DONE, DONE, "Not yet started", "Ongoing", NOT_YET]),
        ("lapsed", None, [DONE, "Not yet started", NOT_YET, NOT_YET, NOT_YET, NOT_YET]),
    ],
)
def test_the_task_list_follows_the_organisation_s_stage(
    db, member_client, organisation, status, before_suspension, expected
):
    set_stage(organisation, status)
    organisation.status_before_suspension = before_suspension
    db.session.commit()
    html = member_client.get(dashboard_url(organisation)).get_data(as_text=True)
    statuses = re.findall(
        r'class="govuk-task-list__status[^"]*"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<', html
    )
    assert statuses == expected
