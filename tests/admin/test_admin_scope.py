"""The administration pages: a charter's act in the administrator's own charter, the service's
are for service administrators (charter/admin/scope.py; docs/charters.md, "Staff"). Who gets
what on every route is the permission matrix's (tests/permissions); here, what each sees."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from charter.models import Appeal, AuditEvent, Charter
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import (
    give_role,
    make_application,
    make_commissioner,
    make_organisation,
    make_user,
    sign_in,
)
from tests.public.charter_helpers import second_charter_text

SERVICE_LINKS = ("/admin/people", "/admin/emails", "/admin/job-runs", "/admin/published-notices")


def test_every_administration_page_is_a_charter_s_or_the_service_s(app):
    from charter.admin.scope import CHARTER_SCOPED, SERVICE_ADMINS_TOO, SERVICE_WIDE

    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")}

    assert sorted(endpoints - CHARTER_SCOPED - SERVICE_WIDE) == [], "classify in admin/scope.py"
    assert sorted((CHARTER_SCOPED | SERVICE_WIDE) - endpoints) == [], "no longer routes"
    assert CHARTER_SCOPED.isdisjoint(SERVICE_WIDE)
    assert SERVICE_ADMINS_TOO <= CHARTER_SCOPED  # a charter's page service admins may open too


def test_a_page_not_yet_classified_is_refused_to_everyone(app, admin_user):
    app.add_url_rule("/admin/unclassified", "admin.unclassified", lambda: "secret")
    client = app.test_client()
    sign_in(client, admin_user.email)

    response = client.get("/admin/unclassified")

    assert response.status_code == 404 and "secret" not in response.get_data(as_text=True)


@pytest.fixture
def world(app, db, scheme):
    worcestershire = load_scheme_text(second_charter_text()).scheme
    charter = db.session.get(Charter, worcestershire.charter_id)
    both = make_organisation(scheme=scheme, name="Both Charters Ltd", status="monitoring")
    signings.start(both, worcestershire).status = "signatory"
    db.session.commit()
    return {
        "charter": charter,
        "shropshire": scheme,
        "worcestershire": worcestershire,
        "both": both,
        "shropshire_admin": make_user(email="admin@shropshire.example", role="admin"),
        "worcestershire_admin": make_user(
            email="admin@worcestershire.example", role="administrator", charter=charter
        ),
    }


def _page(app, user, path) -> str:
    """``path`` as ``user`` sees it (a client of their own)."""
    client = app.test_client()
    sign_in(client, user.email)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_another_charter_s_administrator_has_their_charter_s_dashboard(client, world):
    sign_in(client, world["worcestershire_admin"].email)
    page = client.get("/admin/").get_data(as_text=True)

    assert "Worcestershire Commercial Social Value Charter" in page
    assert not any(f'href="{link}' in page for link in SERVICE_LINKS)
    # The header's link, from a page that is no charter's.
    assert 'href="/admin/"' in client.get("/account").get_data(as_text=True)


def test_a_service_administrator_has_the_service_s_links_too(app, world):
    page = _page(app, world["shropshire_admin"], "/admin/")

    assert "Social Value Charter for Shropshire" in page
    assert all(f'href="{link}' in page for link in SERVICE_LINKS)


def test_a_service_administrator_of_no_charter_is_sent_to_the_service_s_pages(client, world):
    operator = make_user(email="operator@example.com")
    operator.service_admin = True
    sign_in(client, operator.email)

    assert 'href="/admin/people"' in client.get("/account").get_data(as_text=True)
    assert client.get("/admin/people").status_code == 200
    assert client.get("/admin/").status_code == 404


def test_an_administrator_of_two_charters_chooses_one(client, db, world):
    shropshire_admin = world["shropshire_admin"]
    give_role(shropshire_admin, "administrator", world["charter"])
    db.session.commit()
    sign_in(client, shropshire_admin.email)

    default = client.get("/admin/").get_data(as_text=True)
    assert "Social Value Charter for Shropshire" in default
    assert 'href="/admin/?charter=worcestershire"' in default

    chosen = client.get("/admin/?charter=worcestershire").get_data(as_text=True)
    assert "Worcestershire Commercial Social Value Charter" in chosen
    # The pages it links to stay in that charter.
    assert 'href="/admin/organisations?charter=worcestershire"' in chosen
    listed = client.get("/admin/organisations?charter=worcestershire").get_data(as_text=True)
    row = listed.split("Both Charters Ltd", 1)[1].split("</tr>", 1)[0]
    assert "Charter signatory" in row


def test_appeals_are_each_charter_s_own(app, client, db, world):
    application = make_application(world["both"], world["shropshire"])
    db.session.add(
        Appeal(
            application_id=application.id,
            organisation_id=world["both"].id,
            grounds="Our evidence for LE3 was not read.",
        )
    )
    db.session.commit()
    appeal_id = db.session.scalar(db.select(Appeal.id))

    listed = f'href="/admin/appeals/{appeal_id}"'
    assert listed in _page(app, world["shropshire_admin"], "/admin/appeals")
    assert listed not in _page(app, world["worcestershire_admin"], "/admin/appeals")
    sign_in(client, world["worcestershire_admin"].email)
    assert client.get(f"/admin/appeals/{appeal_id}").status_code == 404


def test_an_organisation_s_history_shows_this_charter_s_lifecycle_only(app, db, world):
    both = world["both"]
    worcestershire_signing = signings.signings_of(both)[1]
    db.session.add(
        AuditEvent(
            organisation_id=both.id,
            signing_id=worcestershire_signing.id,
            actor_label="Test",
            trigger="suspend",
            from_state="signatory",
            to_state="suspended",
            reason="Worcestershire's own reason",
            created_at=datetime(2026, 5, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    path = f"/admin/organisations/{both.slug}"

    assert "Worcestershire&#39;s own reason" in _page(app, world["worcestershire_admin"], path)
    assert "Worcestershire&#39;s own reason" not in _page(app, world["shropshire_admin"], path)


def test_a_commissioner_s_page_is_for_the_charters_it_takes_part_in(client, db, world):
    shropshire_only = make_commissioner("Shropshire Council")
    theirs = make_commissioner("Worcestershire County Council", charter=world["charter"])
    sign_in(client, world["worcestershire_admin"].email)

    assert client.get(f"/admin/commissioners/{shropshire_only.id}").status_code == 404
    page = client.get(f"/admin/commissioners/{theirs.id}").get_data(as_text=True)
    assert "Add a buyer identifier" not in page  # the service's
    listed = client.get("/admin/commissioners").get_data(as_text=True)
    assert f"/admin/commissioners/{theirs.id}/edit" not in listed
    assert f'href="/admin/commissioners/{shropshire_only.id}"' not in listed


def test_the_dashboard_counts_its_own_charter_s_signatories_and_their_members(app, db, world):
    from tests.factories import make_organisation as organisation

    organisation(
        owner=make_user(email="owner@shropshire-only.example"),
        scheme=world["shropshire"],
        status="accredited",
    )
    organisation(
        owner=make_user(email="owner@worcestershire-only.example"),
        scheme=world["worcestershire"],
        status="signatory",
    )
    page = _page(app, world["worcestershire_admin"], "/admin/")

    people = page.split("Organisation members", 1)[1].split("</tr>", 1)[0]
    assert ">1<" in people.replace(" ", "")  # Worcestershire's signatory's owner alone
    everyone = page.split("All organisations", 1)[1].split("</tr>", 1)[0]
    assert ">2<" in everyone.replace("<strong>", "").replace("</strong>", "")


def test_audits_and_flagged_figures_are_each_charter_s_own(app, db, world):
    from sqlalchemy import select

    from charter.models import Measure, ReturnLine
    from charter.models.duties import MarkAudit
    from tests.factories import make_mark, make_return

    scheme = world["worcestershire"]
    theirs = make_organisation(scheme=scheme, name="Malvern Only Ltd", status="accredited")
    mark = make_mark(theirs, scheme)
    db.session.add(
        MarkAudit(
            organisation_id=theirs.id,
            signing_id=mark.signing_id,
            year=2000,
            certificate_number=mark.certificate_number,
        )
    )
    measures = {
        m.code: m for m in db.session.scalars(select(Measure).where(Measure.scheme_id == scheme.id))
    }
    flagged = make_return(theirs, measures, 1, {"LE1": "900000"}, status="submitted")
    line = db.session.scalar(select(ReturnLine).where(ReturnLine.return_id == flagged.id))
    line.flag_reasons = ["Far above the organisation's own baseline"]
    db.session.commit()

    for path in ("/admin/audits", "/admin/flagged-figures"):
        assert "Malvern Only Ltd" in _page(app, world["worcestershire_admin"], path), path
        assert "Malvern Only Ltd" not in _page(app, world["shropshire_admin"], path), path
