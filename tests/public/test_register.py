"""The public register page and an organisation's public page, with no sign-in."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from charter.extensions import db
from charter.models import Application, Membership
from tests.factories import (
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
)
from tests.public.register_helpers import audit, make_holder, make_signatory

# --- builders shared with test_open_data ------------------------------------------------------


def result_names(page: str) -> list[str]:
    return re.findall(r'href="/register/(?!feed\.atom)[^"]+">([^<]+)</a>', page)


# --- the register page ------------------------------------------------------------------------


def test_lists_public_organisations_by_name_with_plain_status(client, scheme):
    make_signatory(scheme, "Bryn Builders")
    make_holder(scheme, "Acorn Care")
    make_signatory(scheme, "Castle Catering", status="monitoring")
    response = client.get("/register")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert result_names(page) == ["Acorn Care", "Bryn Builders", "Castle Catering"]
    assert "3 organisations" in page
    assert "Charter Mark holder" in page
    assert "Charter signatory" in page
    assert "Working towards the Charter Mark" in page
    assert 'href="/register/' in page


def test_registered_and_withdrawn_organisations_never_appear(client, scheme):
    make_signatory(scheme, "Public Partners")
    make_organisation(scheme=scheme, name="Hidden Registered", status="registered")
    make_signatory(scheme, "Hidden Withdrawn", status="withdrawn")
    page = client.get("/register").get_data(as_text=True)
    assert result_names(page) == ["Public Partners"]
    assert "Hidden" not in page
    assert "1 organisation<" in page


def test_search_by_part_of_the_name_ignoring_case(client, scheme):
    make_signatory(scheme, "Severn Valley Bakery")
    make_signatory(scheme, "Wrekin Joinery")
    page = client.get("/register?q=VALLEY").get_data(as_text=True)
    assert result_names(page) == ["Severn Valley Bakery"]
    # Wildcards in the search are plain characters.
    assert result_names(client.get("/register?q=%25").get_data(as_text=True)) == []


def test_filter_by_district(client, scheme):
    make_signatory(scheme, "Oswestry Oils", district="Oswestry")
    make_signatory(scheme, "Shrewsbury Shoes", district="Shrewsbury")
    page = client.get("/register?district=Oswestry").get_data(as_text=True)
    assert result_names(page) == ["Oswestry Oils"]


def test_filter_by_organisation_type(client, scheme):
    make_signatory(scheme, "Helping Hands", organisation_type="vcse")
    make_signatory(scheme, "Big Business", organisation_type="business")
    page = client.get("/register?type=vcse").get_data(as_text=True)
    assert result_names(page) == ["Helping Hands"]


def test_filter_by_sector(client, scheme):
    make_signatory(scheme, "Care Co", sector="Health and social care")
    make_signatory(scheme, "Build Co", sector="Construction")
    page = client.get("/register?sector=Health+and+social+care").get_data(as_text=True)
    assert result_names(page) == ["Care Co"]


def test_filter_by_standing(client, scheme):
    make_holder(scheme, "Holder Ltd")
    make_holder(scheme, "Renewing Ltd", status="renewal_due")
    make_signatory(scheme, "Signed Ltd")
    make_signatory(scheme, "Planning Ltd", status="plan_submitted")
    make_signatory(scheme, "Lapsed Ltd", status="lapsed")
    holders = client.get("/register?standing=holders").get_data(as_text=True)
    assert result_names(holders) == ["Holder Ltd", "Renewing Ltd"]
    signatories = client.get("/register?standing=signatories").get_data(as_text=True)
    assert result_names(signatories) == ["Planning Ltd", "Signed Ltd"]
    everyone = client.get("/register").get_data(as_text=True)
    assert len(result_names(everyone)) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("district=Atlantis", "Select a district from the list"),
        ("type=pirate", "Select a type of organisation from the list"),
        ("sector=Nowhere", "Select a sector from the list"),
        ("standing=gods", "Select which organisations to show"),
        ("page=abc", "Page number must be a whole number, like 2"),
        ("page=-1", "Page number must be a whole number, like 2"),
        ("page=0", "Page number must be a whole number, like 2"),
        ("page=1.5", "Page number must be a whole number, like 2"),
        ("page=99999999999999999999999", "There is no page with that number"),
        ("page=7", "There is no page 7: the results fill 1 page"),
        ("q=" + "x" * 201, "Organisation name must be 200 characters or fewer"),
        ("after=not-a-cursor", "The link to this page of results is not valid"),
        # A well-formed cursor naming an id beyond PostgreSQL's integers.
        ("after=WyJhIiw5OTk5OTk5OTk5OTld", "The link to this page of results is not valid"),
    ],
)
def test_bad_query_values_get_a_clear_message(client, scheme, query, message):
    make_signatory(scheme, "Anyone Ltd")
    response = client.get(f"/register?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert page.count(message.replace("'", "&#39;")) >= 1
    assert "<title>Error: " in page
    # No results from a search that could not be made as asked.
    assert result_names(page) == []
    assert "Correct the search to see the organisations on the register" in page


def test_a_district_of_the_scheme_with_nobody_in_it_is_an_empty_result(client, scheme):
    make_signatory(scheme, "Anyone Ltd", district="Shrewsbury")
    response = client.get("/register?district=Bridgnorth")
    assert response.status_code == 200
    assert "0 organisations" in response.get_data(as_text=True)


def test_empty_state_helps(client, scheme):
    make_signatory(scheme, "Anyone Ltd")
    page = client.get("/register?q=zzz").get_data(as_text=True)
    assert "0 organisations" in page
    assert "No organisations match your search" in page
    assert "See every organisation on the register" in page


def test_pagination_keeps_the_filters(client, scheme):
    for n in range(25):
        make_signatory(scheme, f"Oswestry Firm {n:02d}", district="Oswestry")
    make_signatory(scheme, "Elsewhere Firm", district="Shrewsbury")
    first = client.get("/register?district=Oswestry&q=firm").get_data(as_text=True)
    assert "25 organisations" in first
    assert len(result_names(first)) == 20
    assert "govuk-pagination" in first
    next_link = re.search(r'govuk-pagination__next.*?href="([^"]+)"', first, re.S).group(1)
    next_link = next_link.replace("&amp;", "&")
    assert "district=Oswestry" in next_link
    assert "q=firm" in next_link
    assert "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert result_names(second) == [f"Oswestry Firm {n:02d}" for n in range(20, 25)]
    assert "Elsewhere Firm" not in second


def test_query_count_does_not_grow_with_the_register(client, scheme, query_counter):
    def count_for_page() -> int:
        with query_counter() as counter:
            assert client.get("/register").status_code == 200
        return counter.value

    for n in range(5):
        make_holder(scheme, f"Firm {n:02d}")
    small = count_for_page()
    for n in range(5, 25):
        make_holder(scheme, f"Firm {n:02d}")
    assert count_for_page() == small
    # The register's version, the scheme's and the organisations' districts and sectors, the
    # count, the page and the current marks (for "Charter Mark expired on ..." labels); all but
    # the version are kept until the register changes.
    assert small <= 6
    assert count_for_page() == 1


# --- an organisation's public page ------------------------------------------------------------


def test_public_page_shows_the_mark_badge_and_progress(client, scheme):
    organisation, mark = make_holder(
        scheme, "Acorn Care", website="https://acorn.example.org", town="Ludlow", district="Ludlow"
    )
    make_contract(organisation, make_commissioner("Shropshire Council"), value="12500")
    make_contract(organisation, make_commissioner("NHS Trust"), value="7500")
    response = client.get(f"/register/{organisation.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Acorn Care" in page
    assert "Ludlow, Ludlow" in page
    assert organisation.org_id in page
    assert 'rel="nofollow noopener"' in page
    assert "1 May 2026" in page  # signed on
    assert f"{scheme.name}, version {scheme.version}" in page
    assert f'href="/verify/{mark.certificate_number}"' in page
    assert f'<img src="/badge/{mark.certificate_number}.svg" alt="' in page
    assert "&lt;img src=&#34;http://localhost/badge/" in page  # the embed snippet, as text
    assert "Charter Mark holder" in page
    assert "2 contracts won from public-sector commissioners, worth £20,000" in page


def test_public_page_leaks_no_private_data(client, scheme):
    organisation = make_signatory(scheme, "Quiet Firm", status="monitoring")
    member = make_user(email="private.person@example.com", full_name="Priya Private")
    db.session.add(Membership(user_id=member.id, organisation_id=organisation.id, role="owner"))
    db.session.add(
        Application(
            organisation_id=organisation.id,
            scheme_id=scheme.id,
            snapshot={},
            status="refused",
            rationale="Refused because the evidence was forged",
        )
    )
    audit(
        organisation,
        "refuse_mark",
        "under_assessment",
        "monitoring",
        datetime(2026, 8, 1),
        reason="Refused because the evidence was forged",
    )
    page = client.get(f"/register/{organisation.slug}").get_data(as_text=True)
    assert "Quiet Firm" in page
    assert "private.person@example.com" not in page
    assert "Priya Private" not in page
    assert "forged" not in page
    assert "Sam Signer" not in page  # the person who signed is not published
    assert "does not hold the Charter Mark" in page
    assert "Refused" not in page


def test_private_states_are_not_found(client, scheme):
    registered = make_organisation(scheme=scheme, name="Just Registered", status="registered")
    withdrawn = make_signatory(scheme, "Gone Away", status="withdrawn")
    assert client.get(f"/register/{registered.slug}").status_code == 404
    assert client.get(f"/register/{withdrawn.slug}").status_code == 404
    assert client.get("/register/no-such-organisation").status_code == 404


def test_the_register_is_linked_from_home_and_footer(client, scheme):
    page = client.get("/").get_data(as_text=True)
    assert page.count('href="/register"') == 2
