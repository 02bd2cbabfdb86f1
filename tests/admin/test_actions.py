"""An administrator suspends an organisation, lifts the suspension and revokes a mark."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from charter.extensions import db
from charter.models import AuditEvent, OutboxEmail
from tests.factories import make_mark, make_organisation, submit

ROLES = [
    ("anonymous", "client"),
    ("member", "member_client"),
    ("assessor", "assessor_client"),
]


@pytest.fixture
def accredited(member, scheme):
    organisation = make_organisation(owner=member, scheme=scheme, status="accredited")
    mark = make_mark(organisation, scheme)
    return organisation, mark


def _audit(organisation) -> list[tuple[str, str, str | None]]:
    return [
        (e.trigger, e.to_state, e.reason)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.organisation_id == organisation.id)
            .order_by(AuditEvent.id)
        )
    ]


def _emails() -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def test_the_admin_organisation_page(admin_client, accredited):
    organisation, mark = accredited
    response = admin_client.get(f"/admin/organisations/{organisation.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert mark.certificate_number in page
    assert f"/admin/organisations/{organisation.slug}/suspend" in page
    assert f"/admin/organisations/{organisation.slug}/revoke-mark" in page


def test_the_organisations_list_links_to_it(admin_client, accredited):
    organisation, _mark = accredited
    page = admin_client.get("/admin/organisations").get_data(as_text=True)
    assert f'href="/admin/organisations/{organisation.slug}"' in page


def test_unknown_organisation_is_a_404(admin_client, scheme):
    assert admin_client.get("/admin/organisations/nobody").status_code == 404


def test_suspend_and_lift(admin_client, accredited, member):
    organisation, mark = accredited
    url = f"/admin/organisations/{organisation.slug}/suspend"
    response = submit(admin_client, url, {"reason": "A complaint is being looked into"})
    assert response.status_code == 302
    db.session.refresh(organisation)
    db.session.refresh(mark)
    # The duties are suspended; the Mark's own lifecycle still holds it (its row is suspended).
    assert organisation.status == "suspended"
    assert organisation.status_before_suspension == "monitoring"
    assert organisation.mark_status == "accredited"
    assert mark.status == "suspended"
    assert _audit(organisation) == [("suspend", "suspended", "A complaint is being looked into")]
    emails = _emails()
    assert [e.to_address for e in emails] == [member.email]
    assert "A complaint is being looked into" in emails[0].body
    assert mark.certificate_number in emails[0].body

    page = admin_client.get(f"/admin/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Lift the suspension" in page
    response = submit(
        admin_client,
        f"/admin/organisations/{organisation.slug}/lift-suspension",
        form_url=f"/admin/organisations/{organisation.slug}",
    )
    assert response.status_code == 302
    db.session.refresh(organisation)
    db.session.refresh(mark)
    assert (organisation.status, organisation.mark_status) == ("monitoring", "accredited")
    assert mark.status == "valid"
    assert _audit(organisation)[-1] == ("lift_suspension", "monitoring", None)
    assert len(_emails()) == 2


def test_suspending_an_organisation_without_a_mark(admin_client, member, scheme):
    organisation = make_organisation(owner=member, scheme=scheme, status="monitoring")
    url = f"/admin/organisations/{organisation.slug}/suspend"
    assert submit(admin_client, url, {"reason": "Late returns"}).status_code == 302
    db.session.refresh(organisation)
    assert organisation.status == "suspended"
    submit(
        admin_client,
        f"/admin/organisations/{organisation.slug}/lift-suspension",
        form_url=f"/admin/organisations/{organisation.slug}",
    )
    db.session.refresh(organisation)
    assert organisation.status == "monitoring"


def test_suspend_needs_a_reason(admin_client, accredited):
    organisation, mark = accredited
    url = f"/admin/organisations/{organisation.slug}/suspend"
    response = submit(admin_client, url, {"reason": "   "})
    assert response.status_code == 200
    assert "Enter the reason" in response.get_data(as_text=True)
    db.session.refresh(organisation)
    db.session.refresh(mark)
    assert organisation.mark_status == "accredited"
    assert mark.status == "valid"
    assert _audit(organisation) == []
    assert _emails() == []


def test_lifting_when_not_suspended_is_refused(admin_client, accredited):
    organisation, _mark = accredited
    response = submit(
        admin_client,
        f"/admin/organisations/{organisation.slug}/lift-suspension",
        form_url=f"/admin/organisations/{organisation.slug}",
    )
    assert response.status_code == 409
    assert _audit(organisation) == []


def test_revoke(admin_client, accredited, member):
    organisation, mark = accredited
    url = f"/admin/organisations/{organisation.slug}/revoke-mark"
    assert admin_client.get(url).status_code == 200
    response = submit(admin_client, url, {"reason": "Evidence was falsified"})
    assert response.status_code == 302
    db.session.refresh(organisation)
    db.session.refresh(mark)
    assert organisation.status == "monitoring"
    assert mark.status == "revoked"
    assert mark.revoked_reason == "Evidence was falsified"
    assert mark.status_changed_at is not None
    assert organisation.mark_status == "mark_revoked"
    assert _audit(organisation) == [("revoke_mark", "mark_revoked", "Evidence was falsified")]
    emails = _emails()
    assert [e.to_address for e in emails] == [member.email]
    assert "Evidence was falsified" in emails[0].body
    # The public page says so at once.
    page = admin_client.get(f"/c/shropshire/verify/{mark.certificate_number}").get_data(
        as_text=True
    )
    assert "Revoked" in page


def test_revoke_needs_a_reason(admin_client, accredited):
    organisation, mark = accredited
    url = f"/admin/organisations/{organisation.slug}/revoke-mark"
    response = submit(admin_client, url, {"reason": ""})
    assert response.status_code == 200
    assert "Enter the reason" in response.get_data(as_text=True)
    db.session.refresh(mark)
    assert mark.status == "valid"
    assert _audit(organisation) == []
    assert _emails() == []


def test_revoke_without_a_mark_is_409(admin_client, member, scheme):
    organisation = make_organisation(owner=member, scheme=scheme, status="accredited")
    url = f"/admin/organisations/{organisation.slug}/revoke-mark"
    assert admin_client.get(url).status_code == 409
    response = submit(admin_client, url, {"reason": "No"}, form_url="/admin/")
    assert response.status_code == 409
    db.session.refresh(organisation)
    assert organisation.mark_status == "accredited"
    assert _audit(organisation) == []


def test_revoke_while_suspended_is_409(admin_client, accredited):
    organisation, mark = accredited
    submit(admin_client, f"/admin/organisations/{organisation.slug}/suspend", {"reason": "Why"})
    url = f"/admin/organisations/{organisation.slug}/revoke-mark"
    response = submit(admin_client, url, {"reason": "No"}, form_url="/admin/")
    assert response.status_code == 409
    assert "Lift the suspension" in response.get_data(as_text=True)
    db.session.refresh(mark)
    assert mark.status == "suspended"


@pytest.mark.parametrize(("role", "client_fixture"), ROLES, ids=[r[0] for r in ROLES])
@pytest.mark.parametrize("action", ["suspend", "revoke-mark", "lift-suspension"])
def test_only_administrators_may_act(request, accredited, role, client_fixture, action):
    organisation, mark = accredited
    client = request.getfixturevalue(client_fixture)
    url = f"/admin/organisations/{organisation.slug}/{action}"
    response = submit(
        client, url, {"reason": "No"}, form_url="/sign-in" if role == "anonymous" else "/"
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/sign-in" in response.location
        assert client.get(f"/admin/organisations/{organisation.slug}").status_code == 302
    else:
        assert response.status_code == 403
        assert client.get(f"/admin/organisations/{organisation.slug}").status_code == 403
    db.session.refresh(organisation)
    db.session.refresh(mark)
    assert organisation.mark_status == "accredited"
    assert mark.status == "valid"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
