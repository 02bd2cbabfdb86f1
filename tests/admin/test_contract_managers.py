"""Administrators invite a commissioner's contract managers, cancel invitations and remove
managers; the invited person accepts with a signed-in, confirmed account with that address."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from charter.extensions import db
from charter.models import ContractManager, Invitation
from charter.models.base import utcnow
from charter.services.domain import contract_managers, invitation_tokens, invitations
from tests.commissioner.monitoring_helpers import make_manager, outbox, outbox_count
from tests.factories import make_commissioner, make_organisation, make_user, sign_in, submit

LINK_RE = re.compile(r"http://localhost(/commissioner/invitations/\S+)")


def _invite(admin_client, commissioner, email):
    return submit(
        admin_client,
        f"/admin/commissioners/{commissioner.id}/contract-managers/invite",
        {"email": email},
    )


def _link() -> str:
    return LINK_RE.search(outbox("confirm contracts for")[-1].body).group(1)


def _managers(commissioner) -> list[str]:
    db.session.expire_all()
    return [m.user.email for m in contract_managers.active_managers_of(commissioner)]


def test_only_administrators_manage_contract_managers(app, scheme, assessor_client, member_client):
    council = make_commissioner("Shropshire Council")
    for http in (assessor_client, member_client):
        assert http.get(f"/admin/commissioners/{council.id}").status_code == 403
        response = submit(
            http,
            f"/admin/commissioners/{council.id}/contract-managers/invite",
            {"email": "x@example.com"},
            form_url="/account",
        )
        assert response.status_code == 403
    assert db.session.scalar(select(Invitation.id)) is None


def test_an_invitation_is_emailed_listed_and_accepted(app, admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    response = _invite(admin_client, council, "Cara@Council.example")
    assert response.status_code == 302
    email = outbox("confirm contracts for Shropshire Council")[0]
    assert email.to_address == "Cara@Council.example"
    assert "create one with this email address first" in email.body
    assert "14 days" in email.body
    page = admin_client.get(f"/admin/commissioners/{council.id}").get_data(as_text=True)
    assert "Cara@Council.example" in page and "Invitations not yet accepted" in page

    # Inviting the same address again is refused with the reason.
    response = _invite(admin_client, council, "cara@council.example")
    assert "has already been invited" in response.get_data(as_text=True)
    assert len(outbox("confirm contracts for")) == 1

    make_user(email="cara@council.example", full_name="Cara Contracts")
    http = app.test_client()
    sign_in(http, "cara@council.example")
    link = _link()
    page = http.get(link).get_data(as_text=True)
    assert "Become a contract manager for Shropshire Council" in page
    assert submit(http, link, {}).headers["Location"] == "/commissioner/"
    assert _managers(council) == ["cara@council.example"]
    # The link is spent.
    assert http.get(link).status_code == 410
    page = admin_client.get(f"/admin/commissioners/{council.id}").get_data(as_text=True)
    assert "Cara Contracts" in page and "There are no open invitations" in page
    # A current manager is not invited again.
    response = _invite(admin_client, council, "cara@council.example")
    assert "is already a contract manager" in response.get_data(as_text=True)


def test_an_unconfirmed_account_confirms_its_address_first(app, admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    _invite(admin_client, council, "cara@council.example")
    make_user(email="cara@council.example", verified=False)
    http = app.test_client()
    sign_in(http, "cara@council.example")
    link = _link()
    response = http.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/confirm-your-email-address"
    assert submit(http, link, {}, form_url="/confirm-your-email-address").status_code == 302
    assert _managers(council) == []


def test_the_invitation_must_be_accepted_by_the_invited_address(app, admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    _invite(admin_client, council, "cara@council.example")
    make_user(email="someone@else.example")
    http = app.test_client()
    sign_in(http, "someone@else.example")
    link = _link()
    response = http.get(link)
    assert response.status_code == 403
    assert "invitation is for another email address" in response.get_data(as_text=True)
    assert submit(http, link, {}, form_url="/account").status_code == 403
    assert _managers(council) == []


def test_broken_expired_and_cancelled_links(app, admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    _invite(admin_client, council, "cara@council.example")
    link = _link()
    make_user(email="cara@council.example")
    http = app.test_client()
    sign_in(http, "cara@council.example")
    assert http.get(link + "x").status_code == 404
    # An organisation invitation's token does not open a contract manager invitation.
    organisation = make_organisation(scheme=scheme)
    other = Invitation(
        kind="member", organisation_id=organisation.id, email="x@example.com", invited_by_id=1
    )
    db.session.add(other)
    db.session.commit()
    assert http.get(f"/commissioner/invitations/{invitations.token_for(other)}").status_code == 404

    invitation = db.session.scalar(select(Invitation))
    invitation.created_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert http.get(link).status_code == 410
    invitation.created_at = utcnow()
    db.session.commit()

    before = outbox_count()
    response = submit(
        admin_client,
        f"/admin/commissioners/{council.id}/contract-managers/invitations/{invitation.id}/cancel",
        {},
        form_url=f"/admin/commissioners/{council.id}",
    )
    assert response.status_code == 302
    response = http.get(link)
    assert response.status_code == 410
    assert "This invitation has been cancelled" in response.get_data(as_text=True)
    assert submit(http, link, {}, form_url="/account").status_code == 410
    assert _managers(council) == [] and outbox_count() == before


def test_removing_a_manager(app, admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    other = make_commissioner("Telford & Wrekin Council")
    make_manager(council, "cara@council.example")
    manager = db.session.scalar(select(ContractManager))
    url = f"/admin/commissioners/{other.id}/contract-managers/{manager.id}/remove"
    # Through another commissioner's page, nothing happens.
    response = submit(admin_client, url, {}, form_url=f"/admin/commissioners/{other.id}")
    assert response.status_code == 302
    assert _managers(council) == ["cara@council.example"]
    url = f"/admin/commissioners/{council.id}/contract-managers/{manager.id}/remove"
    assert admin_client.post(url).status_code == 400  # no CSRF token
    response = submit(admin_client, url, {}, form_url=f"/admin/commissioners/{council.id}")
    assert response.status_code == 302
    assert _managers(council) == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address of the contract manager"),
        ("not-an-email", "Enter an email address in the correct format"),
    ],
)
def test_bad_email_addresses_are_refused(admin_client, scheme, email, message):
    council = make_commissioner("Shropshire Council")
    response = _invite(admin_client, council, email)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation.id)) is None


def test_huge_ids_are_not_found(admin_client, scheme):
    council = make_commissioner("Shropshire Council")
    assert admin_client.get(f"/admin/commissioners/{2**31}").status_code == 404
    url = f"/admin/commissioners/{council.id}/contract-managers/invitations/{2**31}/cancel"
    response = submit(admin_client, url, {}, form_url=f"/admin/commissioners/{council.id}")
    assert response.status_code == 404


def test_a_deactivated_commissioner_cannot_invite(admin_client, scheme):
    council = make_commissioner("Old Council", is_active=False)
    response = _invite(admin_client, council, "cara@council.example")
    assert "Reactivate it first" in response.get_data(as_text=True)


def test_a_link_emailed_before_the_invitations_were_merged_still_lands_on_its_page(
    app, admin_client, scheme
):
    """Contract manager links were signed with their own salt and named the row's id in the
    old table; the migration keeps that id as legacy_id."""
    council = make_commissioner("Shropshire Council")
    _invite(admin_client, council, "cara@council.example")
    invitation = db.session.scalar(select(Invitation))
    invitation.legacy_id = 3
    db.session.commit()
    old_link = "/commissioner/invitations/" + invitation_tokens.token_for(
        SimpleNamespace(id=3), invitations.LEGACY_MANAGER_SALT
    )
    http = app.test_client()
    page = http.get(old_link).get_data(as_text=True)
    assert "Sign in to accept your invitation" in page and "Shropshire Council" in page
    make_user(email="cara@council.example")
    sign_in(http, "cara@council.example")
    response = http.get(old_link)
    assert response.status_code == 200
    assert "Become a contract manager for Shropshire Council" in response.get_data(as_text=True)
    # Not an organisation's invitation: that URL does not open it.
    assert http.get(old_link.replace("/commissioner/", "/organisations/")).status_code == 404
    response = submit(http, old_link, {})
    assert response.status_code == 302 and response.headers["Location"] == "/commissioner/"
    assert _managers(council) == ["cara@council.example"]
