"""Each charter's public pages live under /c/<slug>/; the addresses they had before answer a
permanent redirect to the default charter's; the service home lists the charters."""

from __future__ import annotations

import pytest
from flask import url_for

from charter.services.domain.signings import signing_of
from tests.factories import make_mark, make_organisation
from tests.public.charter_helpers import new_charter

OLD_TO_NEW = [
    ("/register", "/c/shropshire/register"),
    ("/register?q=severn&standing=holders", "/c/shropshire/register?q=severn&standing=holders"),
    ("/register/an-organisation", "/c/shropshire/register/an-organisation"),
    ("/register.csv", "/c/shropshire/register.csv"),
    ("/register.csv?district=Shrewsbury", "/c/shropshire/register.csv?district=Shrewsbury"),
    ("/register.csv-metadata.json", "/c/shropshire/register.csv-metadata.json"),
    ("/register.json", "/c/shropshire/register.json"),
    ("/register/feed.atom", "/c/shropshire/register/feed.atom"),
    ("/about-the-register-data", "/c/shropshire/about-the-register-data"),
    ("/impact", "/c/shropshire/impact"),
    ("/impact?period=all", "/c/shropshire/impact?period=all"),
    ("/impact.csv", "/c/shropshire/impact.csv"),
    ("/impact.csv-metadata.json", "/c/shropshire/impact.csv-metadata.json"),
    ("/impact.json", "/c/shropshire/impact.json"),
    ("/impact/about-the-data", "/c/shropshire/impact/about-the-data"),
    ("/how-it-works", "/c/shropshire/how-it-works"),
    ("/verify", "/c/shropshire/verify"),
    ("/verify?certificate_number=SVC-X", "/c/shropshire/verify?certificate_number=SVC-X"),
    ("/verify/SVC-2026-00001", "/c/shropshire/verify/SVC-2026-00001"),
    ("/badge/SVC-2026-00001.svg", "/c/shropshire/badge/SVC-2026-00001.svg"),
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(("old", "new"), OLD_TO_NEW)
def test_the_old_addresses_move_permanently_to_the_default_charters(
    client, scheme, method, old, new
):
    response = client.open(old, method=method)
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_the_old_addresses_are_not_found_before_any_charter_exists(client):
    assert client.get("/register").status_code == 404


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/cookies", "/sign-in"])
def test_service_wide_pages_stay_where_they_are(client, scheme, path):
    assert client.get(path).status_code == 200


def test_an_embedded_badge_still_renders_through_the_redirect(client, organisation, scheme):
    mark = make_mark(organisation, scheme)
    response = client.get(f"/badge/{mark.certificate_number}.svg", follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "Valid" in response.get_data(as_text=True)
    assert response.request.path == f"/c/shropshire/badge/{mark.certificate_number}.svg"


def test_a_certificate_goes_to_the_charter_its_mark_belongs_to(client, db, organisation, scheme):
    db.session.add(new_charter())
    db.session.commit()
    mark = make_mark(organisation, scheme)
    number = mark.certificate_number
    shropshire = f"/c/shropshire/verify/{number}"
    assert client.get(f"/verify/{number}").headers["Location"] == shropshire
    # A certificate number is unique across the service: asked under another charter, the
    # check moves to its own.
    assert client.get(f"/c/worcestershire/verify/{number}").headers["Location"] == shropshire
    assert client.get(shropshire).status_code == 200


def test_an_unknown_charter_is_not_found_and_the_page_lists_the_charters(client, scheme):
    response = client.get("/c/nowhere/register")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no charter called ‘nowhere’" in page
    assert 'href="/c/shropshire/"' in page


def test_a_charters_pages_link_to_that_charters_pages(client, db, scheme):
    db.session.add(new_charter())
    db.session.commit()
    page = client.get("/c/worcestershire/register").get_data(as_text=True)
    assert 'href="/c/worcestershire/register.csv"' in page
    assert 'href="/c/worcestershire/impact"' in page  # the footer
    assert "/c/shropshire/" not in page
    # Branded by its charter: the header's service name and where it leads.
    assert "Worcestershire Social Value Charter" in page
    assert 'href="/c/worcestershire/"' in page
    # Off the charters' pages, with several charters the footer speaks for none of them...
    home = client.get("/").get_data(as_text=True)
    assert "Register of signatories" not in home
    assert "is run by" not in home
    # ...and an address built without a charter (an email, a dashboard) is the default's.
    with client.application.test_request_context():
        assert url_for("public.show_register") == "/c/shropshire/register"


def test_with_one_charter_every_page_links_to_its_pages(client, scheme):
    for path in ("/", "/accessibility"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/c/shropshire/register"' in page
        assert "The Social Value Charter for Shropshire is run by the Social Value Group" in page


def test_the_service_home_lists_the_charters_with_their_numbers(client, db, scheme):
    for name in ("Severn Builders", "Wrekin Cafe"):
        make_organisation(scheme=scheme, name=name, status="monitoring")
    holder = make_organisation(scheme=scheme, name="Ludlow Joinery", status="accredited")
    make_mark(holder, scheme)
    db.session.add(new_charter())
    db.session.commit()
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    items = [" ".join(li.split()) for li in page.split('<li class="govuk-!-margin-bottom-6">')[1:]]
    assert len(items) == 2
    assert 'href="/c/shropshire/"' in items[0]
    assert "Social Value Charter for Shropshire" in items[0]
    assert "Run by Social Value Group. Covers Shropshire." in items[0]
    assert "3 organisations on the register, 1 holds the Charter Mark" in items[0]
    assert 'href="/c/worcestershire/"' in items[1]
    assert "0 organisations on the register, 0 hold the Charter Mark" in items[1]


def test_another_charters_register_and_impact_are_empty_until_organisations_sign_it(
    client, db, scheme
):
    organisation = make_organisation(scheme=scheme, name="Severn Builders", status="monitoring")
    db.session.add(new_charter())
    db.session.commit()
    register = client.get("/c/worcestershire/register").get_data(as_text=True)
    assert "Severn Builders" not in register
    assert "No organisation has signed this charter yet." in register
    assert "Severn Builders" in client.get("/c/shropshire/register").get_data(as_text=True)
    assert client.get(f"/c/worcestershire/register/{organisation.slug}").status_code == 404
    csv_lines = client.get("/c/worcestershire/register.csv").get_data(as_text=True).splitlines()
    assert len(csv_lines) == 1  # the header row
    assert client.get("/c/worcestershire/register.json").get_json()["organisations"] == []
    assert "<entry>" not in client.get("/c/worcestershire/register/feed.atom").get_data(True)
    assert client.get("/c/worcestershire/impact").status_code == 200
    assert client.get("/c/worcestershire/impact.json").get_json()["figures"] == []


def test_each_charters_register_lists_the_organisations_that_signed_it(client, db, scheme):
    """An organisation is on a charter's register through its signing of that charter: its
    page, the CSV, the JSON, the feed's page, the API's charter= and the home's numbers agree.
    (Its scheme stays Shropshire's here: the register reads only the signing's charter.)"""
    make_organisation(scheme=scheme, name="Severn Builders", status="monitoring")
    malvern = make_organisation(scheme=scheme, name="Malvern Mill", status="monitoring")
    worcestershire = new_charter()
    db.session.add(worcestershire)
    db.session.flush()
    signing_of(malvern).charter_id = worcestershire.id
    db.session.commit()

    def names(path: str) -> list[str]:
        page = client.get(path).get_data(as_text=True)
        return [n for n in ("Severn Builders", "Malvern Mill") if n in page]

    assert names("/c/shropshire/register") == ["Severn Builders"]
    assert names("/c/worcestershire/register") == ["Malvern Mill"]
    assert names("/c/worcestershire/register.csv") == ["Malvern Mill"]
    assert client.get("/c/worcestershire/register/malvern-mill").status_code == 404
    assert client.get(f"/c/worcestershire/register/{malvern.slug}").status_code == 200
    assert client.get(f"/c/shropshire/register/{malvern.slug}").status_code == 404
    api = client.get("/api/v1/organisations?charter=worcestershire").get_json()
    assert [o["name"] for o in api["data"]] == ["Malvern Mill"]
    every = client.get("/api/v1/organisations").get_json()
    assert sorted(o["name"] for o in every["data"]) == ["Malvern Mill", "Severn Builders"]
    home = " ".join(client.get("/").get_data(as_text=True).split())
    assert home.count("1 organisation on the register") == 2

    # Hidden from Worcestershire's register, it is on none.
    signing_of(malvern).register_entry = "hidden"
    db.session.commit()
    assert names("/c/worcestershire/register") == []
    assert client.get("/api/v1/organisations?charter=worcestershire").get_json()["data"] == []
