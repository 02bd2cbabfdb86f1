"""An organisation agrees, or not, to publish its verified figures: the owner decides, and the
register page and the API show the figures only with that consent."""

from __future__ import annotations

import re

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Membership
from charter.services.domain import publishing
from charter.services.domain.signings import signing_of
from tests.factories import make_approved_plan, make_return, make_user, sign_in, submit
from tests.services.read_models.impact_helpers import verified

TARGETS = {"LE1": ("0", "1000")}


def _with_figures(organisation, scheme):
    organisation.status = "monitoring"
    db.session.commit()
    measures = make_approved_plan(organisation, scheme, TARGETS)
    verified(organisation, measures, 2, LE1=4321)
    make_return(organisation, measures, 3, {"LE1": "9876"}, status="submitted")


def test_without_consent_no_figures_are_public(client, organisation, scheme):
    _with_figures(organisation, scheme)

    page = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    data = client.get(f"/api/v1/organisations/{organisation.slug}").get_json()["data"]

    assert "£4,321" not in page and "Verified figures" not in page
    assert "target" in page  # the "targets met" summary stays
    assert data["published_figures"] == []


def test_with_consent_verified_figures_are_public_per_period(
    client, member_client, organisation, scheme
):
    _with_figures(organisation, scheme)

    response = submit(
        member_client, f"/organisations/{organisation.slug}/publish-figures", {"publish": "yes"}
    )
    assert response.status_code == 302

    page = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
    assert "Verified figures" in page and "£4,321" in page
    assert "£9,876" not in page  # not verified yet
    data = client.get(f"/api/v1/organisations/{organisation.slug}").get_json()["data"]
    [entry] = data["published_figures"]
    assert entry["measure_code"] == "LE1"
    assert [f["value"] for f in entry["figures"]] == ["4321.00"]


def test_withdrawing_consent_hides_them_again(client, member_client, organisation, scheme):
    _with_figures(organisation, scheme)
    url = f"/organisations/{organisation.slug}/publish-figures"
    submit(member_client, url, {"publish": "yes"})
    submit(member_client, url, {"publish": "no"})

    assert "£4,321" not in client.get(f"/c/shropshire/register/{organisation.slug}").get_data(
        as_text=True
    )
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "the register shows how many targets you met" in dashboard


def test_each_new_answer_is_in_the_audit_trail_with_who_gave_it(
    member_client, member, organisation, scheme
):
    url = f"/organisations/{organisation.slug}/publish-figures"
    for answer in ("yes", "yes", "no"):  # the same answer twice is not a new decision
        submit(member_client, url, {"publish": answer})

    rows = db.session.execute(
        select(AuditEvent.trigger, AuditEvent.actor_id, AuditEvent.from_state, AuditEvent.to_state)
        .where(AuditEvent.organisation_id == organisation.id)
        .order_by(AuditEvent.id)
    ).all()
    status = organisation.status
    assert rows == [
        (publishing.AGREED, member.id, status, status),
        (publishing.DECLINED, member.id, status, status),
    ]
    history = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Chose not to publish its verified figures on the register" in history
    assert "Agreed to publish its verified figures on the register" in history
    assert "(unchanged)" in history


def test_only_the_owner_decides(app, organisation, scheme):
    contributor = make_user(email="contributor@example.com")
    db.session.add(
        Membership(user_id=contributor.id, organisation_id=organisation.id, role="contributor")
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, contributor.email)

    assert client.get(f"/organisations/{organisation.slug}/publish-figures").status_code == 403


def test_no_choice_is_a_form_error_and_changes_nothing(member_client, organisation, scheme):
    url = f"/organisations/{organisation.slug}/publish-figures"
    for data in ({}, {"publish": "maybe"}):
        response = submit(member_client, url, data)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.get_data(as_text=True)
    # A NUL byte is refused before any view runs (charter/security/request_guard.py).
    assert submit(member_client, url, {"publish": "yes\x00"}).status_code == 400
    db.session.refresh(organisation)
    assert signing_of(organisation).publishes_figures is False
    assert signing_of(organisation).publishes_figures_decided_at is None


def test_the_dashboard_shows_the_choice_and_links_to_the_page(app, member_client, organisation):
    url = f"/organisations/{organisation.slug}/publish-figures"
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Not decided yet" in dashboard
    assert f'href="{url}">Decide' in dashboard

    submit(member_client, url, {"publish": "yes"})
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Yes: your verified figures are on the register" in dashboard
    assert f'href="{url}">Change' in dashboard
    page = member_client.get(url).get_data(as_text=True)
    assert re.search(r'value="yes"\s+checked', page)  # the current choice is selected

    contributor = make_user(email="contributor@example.com")
    db.session.add(
        Membership(user_id=contributor.id, organisation_id=organisation.id, role="contributor")
    )
    db.session.commit()
    client = app.test_client()
    sign_in(client, contributor.email)
    seen = client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Yes: your verified figures are on the register" in seen
    assert f'href="{url}"' not in seen  # only an owner decides
