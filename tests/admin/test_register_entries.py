"""Publishing a new signatory only after an administrator's check (the scheme's setting), and
hiding an entry from the register with a reason and bringing it back: through HTTP, on every
public surface."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import select

from charter.extensions import db
from charter.models import AuditEvent, Organisation
from charter.services.domain.signings import signing_of
from tests.factories import audit, make_mark, make_organisation, set_stage, submit
from tests.organisation.signing_helpers import answer_every_question, open_check_answers, sign


def _public_surfaces(client, organisation) -> dict[str, bool]:
    """Whether each public surface shows the organisation."""
    name = organisation.name
    rows = csv.DictReader(
        io.StringIO(client.get("/c/shropshire/register.csv").get_data(as_text=True))
    )
    api = client.get("/api/v1/organisations", query_string={"limit": 100}).get_json()["data"]
    return {
        "register": name in client.get("/c/shropshire/register").get_data(as_text=True),
        "entry": client.get(f"/c/shropshire/register/{organisation.slug}").status_code == 200,
        "csv": any(row["slug"] == organisation.slug for row in rows),
        "json": organisation.slug
        in client.get("/c/shropshire/register.json").get_data(as_text=True),
        "api": any(row["slug"] == organisation.slug for row in api),
        "api_entry": client.get(f"/api/v1/organisations/{organisation.slug}").status_code == 200,
        "feed": name in client.get("/c/shropshire/register/feed.atom").get_data(as_text=True),
    }


def _sign(member_client, organisation, scheme):
    answer_every_question(member_client, organisation, scheme)
    response = sign(member_client, organisation, open_check_answers(member_client, organisation))
    assert response.status_code == 302


def test_a_new_signatory_appears_only_after_an_administrators_check(
    client, member_client, admin_client, organisation, scheme
):
    _sign(member_client, organisation, scheme)
    assert not any(_public_surfaces(client, organisation).values())
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "will appear on the public register once the scheme administrators" in dashboard

    checks = admin_client.get("/admin/register-checks").get_data(as_text=True)
    assert organisation.name in checks and "1 entry awaiting a check" in checks
    assert "1 waiting before they appear" in admin_client.get("/admin/").get_data(as_text=True)
    response = submit(
        admin_client,
        f"/admin/organisations/{organisation.slug}/register/publish",
        form_url="/admin/register-checks",
    )
    assert response.status_code == 302
    assert all(_public_surfaces(client, organisation).values())
    after = admin_client.get("/admin/register-checks").get_data(as_text=True)
    assert "No new signatory is waiting for a check" in after
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.trigger == "publish_register_entry")
    )
    assert event.organisation_id == organisation.id and event.actor_id is not None
    admin_page = admin_client.get(f"/admin/organisations/{organisation.slug}").get_data(True)
    assert "Checked and published on the register" in admin_page


def test_a_scheme_may_publish_new_signatories_at_once(client, member_client, organisation, scheme):
    scheme.publish_new_signatories = "at_once"
    db.session.commit()
    _sign(member_client, organisation, scheme)
    assert all(_public_surfaces(client, organisation).values())


def test_an_entry_hidden_with_a_reason_leaves_every_public_surface_and_comes_back(
    client, member_client, admin_client, organisation, scheme
):
    set_stage(organisation, "accredited")
    db.session.commit()
    mark = make_mark(organisation, scheme)
    audit(organisation, "award_mark", "under_assessment", "accredited", datetime(2026, 5, 4, 9))
    db.session.commit()
    assert all(_public_surfaces(client, organisation).values())
    hide_url = f"/admin/organisations/{organisation.slug}/register/hide"

    refused = submit(admin_client, hide_url, {"reason": "   "})
    assert refused.status_code == 200
    assert "Enter the reason" in refused.get_data(as_text=True)
    assert signing_of(db.session.get(Organisation, organisation.id)).register_entry == "published"

    response = submit(admin_client, hide_url, {"reason": "The name is being disputed"})
    assert response.status_code == 302
    assert not any(_public_surfaces(client, organisation).values())
    # Its certificate still answers (a certified Mark must not look forged), with no link to
    # an entry that is not there.
    verify = client.get(f"/c/shropshire/verify/{mark.certificate_number}").get_data(as_text=True)
    assert "Valid" in verify and f'href="/c/shropshire/register/{organisation.slug}"' not in verify
    assert client.get(f"/c/shropshire/badge/{mark.certificate_number}.svg").status_code == 200
    holder = client.get(f"/api/v1/certificates/{mark.certificate_number}").get_json()
    assert holder["data"]["holder"] is None
    dashboard = member_client.get(f"/organisations/{organisation.slug}").get_data(as_text=True)
    assert "Your entry is hidden from the public register" in dashboard
    assert "The name is being disputed" in dashboard
    assert "The name is being disputed" not in client.get(
        "/c/shropshire/register/feed.atom"
    ).get_data(True)

    admin_page = admin_client.get(f"/admin/organisations/{organisation.slug}")
    response = submit(
        admin_client,
        f"/admin/organisations/{organisation.slug}/register/show",
        form_url=f"/admin/organisations/{organisation.slug}",
    )
    assert admin_page.status_code == 200 and response.status_code == 302
    assert all(_public_surfaces(client, organisation).values())
    triggers = db.session.scalars(
        select(AuditEvent.trigger).where(AuditEvent.organisation_id == organisation.id)
    ).all()
    assert "hide_register_entry" in triggers and "show_register_entry" in triggers


def test_only_administrators_check_or_hide(member_client, organisation):
    make_organisation(name="Another Firm")
    assert member_client.get("/admin/register-checks").status_code in (302, 403, 404)
    response = member_client.post(f"/admin/organisations/{organisation.slug}/register/hide")
    assert response.status_code in (302, 400, 403, 404)
    assert signing_of(db.session.get(Organisation, organisation.id)).register_entry == "published"
