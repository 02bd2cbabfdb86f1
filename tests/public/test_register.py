"""The public register page and an organisation's public page, with no sign-in."""

from __future__ import annotations

from datetime import datetime

import pytest

from charter.extensions import db
from charter.models import Application, Membership
from tests.factories import (
    make_commissioner,
    make_contract,
    make_organisation,
    make_user,
    signing_id_for,
)
from tests.public.register_helpers import audit, make_holder, make_signatory

# --- reading the register page ----------------------------------------------------------------


def result_names(page) -> list[str]:
    """The names in the results list, in order."""
    return [link.get_text(strip=True) for link in page.select("ul[aria-labelledby=results] h3 a")]


def results_heading(page) -> str:
    return page.select_one("#results").get_text(" ", strip=True)


def tags(page) -> list[str]:
    return [
        tag.get_text(strip=True) for tag in page.select("ul[aria-labelledby=results] .govuk-tag")
    ]


# --- the register page ------------------------------------------------------------------------


def test_lists_public_organisations_by_name_with_plain_status(client_request, scheme):
    make_signatory(scheme, "Bryn Builders")
    make_holder(scheme, "Acorn Care")
    make_signatory(scheme, "Castle Catering", status="monitoring")
    page = client_request.get("public.show_register")
    assert result_names(page) == ["Acorn Care", "Bryn Builders", "Castle Catering"]
    assert results_heading(page) == "3 organisations"
    assert tags(page) == [
        "Charter Mark holder",
        "Charter signatory",
        "Working towards the Charter Mark",
    ]
    links = [a["href"] for a in page.select("ul[aria-labelledby=results] h3 a")]
    assert all(href.startswith("/c/shropshire/register/") for href in links)


def test_registered_and_withdrawn_organisations_never_appear(client_request, scheme):
    make_signatory(scheme, "Public Partners")
    make_organisation(scheme=scheme, name="Hidden Registered", status="registered")
    make_signatory(scheme, "Hidden Withdrawn", status="withdrawn")
    page = client_request.get("public.show_register")
    assert result_names(page) == ["Public Partners"]
    assert "Hidden" not in page.get_text()
    assert results_heading(page) == "1 organisation"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"q": "VALLEY"}, ["Severn Valley Bakery"]),  # part of the name, ignoring case
        ({"q": "%"}, []),  # wildcards in the search are plain characters
        ({"q": "_"}, []),
        ({"district": "Oswestry"}, ["Severn Valley Bakery"]),
        ({"type": "vcse"}, ["Wrekin Joinery"]),
        ({"sector": "Health and social care"}, ["Wrekin Joinery"]),
        ({"district": "Shrewsbury", "type": "business"}, []),
    ],
    ids=str,
)
def test_search_and_filters(client_request, scheme, query, shown):
    make_signatory(
        scheme,
        "Severn Valley Bakery",
        district="Oswestry",
        organisation_type="business",
        sector="Construction",
    )
    make_signatory(
        scheme,
        "Wrekin Joinery",
        district="Shrewsbury",
        organisation_type="vcse",
        sector="Health and social care",
    )
    page = client_request.get("public.show_register", _query=query)
    assert result_names(page) == shown


def test_filter_by_standing(client_request, scheme):
    make_holder(scheme, "Holder Ltd")
    make_holder(scheme, "Renewing Ltd", status="renewal_due")
    make_signatory(scheme, "Signed Ltd")
    make_signatory(scheme, "Planning Ltd", status="plan_submitted")
    make_signatory(scheme, "Lapsed Ltd", status="lapsed")
    holders = client_request.get("public.show_register", _query={"standing": "holders"})
    assert result_names(holders) == ["Holder Ltd", "Renewing Ltd"]
    signatories = client_request.get("public.show_register", _query={"standing": "signatories"})
    assert result_names(signatories) == ["Planning Ltd", "Signed Ltd"]
    assert len(result_names(client_request.get("public.show_register"))) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"district": "Atlantis"}, "Select a district from the list"),
        ({"type": "pirate"}, "Select a type of organisation from the list"),
        ({"sector": "Nowhere"}, "Select a sector from the list"),
        ({"standing": "gods"}, "Select which organisations to show"),
        ({"page": "abc"}, "Page number must be a whole number, like 2"),
        ({"page": "-1"}, "Page number must be a whole number, like 2"),
        ({"page": "0"}, "Page number must be a whole number, like 2"),
        ({"page": "1.5"}, "Page number must be a whole number, like 2"),
        ({"page": "99999999999999999999999"}, "There is no page with that number"),
        ({"page": "7"}, "There is no page 7: the results fill 1 page"),
        ({"q": "x" * 201}, "Organisation name must be 200 characters or fewer"),
        ({"after": "not-a-cursor"}, "The link to this page of results is not valid"),
        # A well-formed cursor naming an id beyond PostgreSQL's integers.
        ({"after": "WyJhIiw5OTk5OTk5OTk5OTld"}, "The link to this page of results is not valid"),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_query_values_get_a_clear_message(client_request, scheme, query, message):
    make_signatory(scheme, "Anyone Ltd")
    page = client_request.get("public.show_register", _query=query, _expected_status=400)
    assert client_request.error_summary(page) == [message]
    assert page.title.get_text(strip=True).startswith("Error: ")
    # No results from a search that could not be made as asked.
    assert result_names(page) == []
    assert "Correct the search to see the organisations on the register" in page.get_text()


def test_a_district_of_the_scheme_with_nobody_in_it_is_an_empty_result(client_request, scheme):
    make_signatory(scheme, "Anyone Ltd", district="Shrewsbury")
    page = client_request.get("public.show_register", _query={"district": "Bridgnorth"})
    assert results_heading(page) == "0 organisations"


def test_empty_state_helps(client_request, scheme):
    make_signatory(scheme, "Anyone Ltd")
    page = client_request.get("public.show_register", _query={"q": "zzz"})
    assert results_heading(page) == "0 organisations"
    text = page.get_text()
    assert "No organisations match your search" in text
    assert "See every organisation on the register" in text


def test_pagination_keeps_the_filters(client_request, scheme):
    for n in range(25):
        make_signatory(scheme, f"Oswestry Firm {n:02d}", district="Oswestry")
    make_signatory(scheme, "Elsewhere Firm", district="Shrewsbury")
    first = client_request.get("public.show_register", _query={"district": "Oswestry", "q": "firm"})
    assert results_heading(first) == "25 organisations"
    assert len(result_names(first)) == 20
    next_link = first.select_one(".govuk-pagination__next a")["href"]
    assert "district=Oswestry" in next_link
    assert "q=firm" in next_link
    assert "page=2" in next_link
    second = client_request.get_url(next_link)
    assert result_names(second) == [f"Oswestry Firm {n:02d}" for n in range(20, 25)]
    assert "Elsewhere Firm" not in second.get_text()


def test_query_count_does_not_grow_with_the_register(client, scheme, query_counter):
    def count_for_page() -> int:
        with query_counter() as counter:
            assert client.get("/c/shropshire/register").status_code == 200
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
    response = client.get(f"/c/shropshire/register/{organisation.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Acorn Care" in page
    assert "Ludlow, Ludlow" in page
    assert organisation.org_id in page
    assert 'rel="nofollow noopener"' in page
    assert "1 May 2026" in page  # signed on
    assert f"{scheme.name}, version {scheme.version}" in page
    assert f'href="/c/shropshire/verify/{mark.certificate_number}"' in page
    assert f'<img src="/c/shropshire/badge/{mark.certificate_number}.svg" alt="' in page
    assert (
        "&lt;img src=&#34;http://localhost/c/shropshire/badge/" in page
    )  # the embed snippet, as text
    assert "Charter Mark holder" in page
    assert "2 contracts won from public-sector commissioners, worth £20,000" in page


def test_public_page_leaks_no_private_data(client, scheme):
    organisation = make_signatory(scheme, "Quiet Firm", status="monitoring")
    member = make_user(email="private.person@example.com", full_name="Priya Private")
    db.session.add(Membership(user_id=member.id, organisation_id=organisation.id, role="owner"))
    db.session.add(
        Application(
            organisation_id=organisation.id,
            signing_id=signing_id_for(organisation.id),
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
    page = client.get(f"/c/shropshire/register/{organisation.slug}").get_data(as_text=True)
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
    assert client.get(f"/c/shropshire/register/{registered.slug}").status_code == 404
    assert client.get(f"/c/shropshire/register/{withdrawn.slug}").status_code == 404
    assert client.get("/c/shropshire/register/no-such-organisation").status_code == 404


def test_the_register_is_linked_from_a_charters_home_and_footer(client, scheme):
    page = client.get("/c/shropshire/").get_data(as_text=True)
    assert page.count('href="/c/shropshire/register"') == 2


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "firm"},
        {"q": "Smith & Sons / Ltd ü+%", "district": "North Shropshire"},
        {"type": "charity", "sector": "Food & drink", "standing": "holders"},
    ],
)
@pytest.mark.parametrize("page", [1, 3, 5])
def test_each_page_link_is_the_address_url_for_gives(app, params, page):
    """The links are built from one url_for of the filters; each must be what url_for gives
    for the filters, the page and its cursor."""
    from flask import url_for

    from charter.public.views.register import pagination
    from charter.services.read_models.register import RegisterPage
    from charter.services.read_models.register_query import encode_cursor

    first, last = ("acorn bakery ü", 7), ("zebra & co", 12)
    result = RegisterPage([], 100, page, 5, first, last, False)
    with app.test_request_context("/charters/register"):
        endpoint = "public.show_combined_register"
        links = pagination(result, params, endpoint)
        expected = {n: url_for(endpoint, **params, page=n) for n in range(1, 6)}
        if page < 5:
            expected[page + 1] = url_for(
                endpoint, **params, page=page + 1, after=encode_cursor(last)
            )
        if page - 1 > 1:
            expected[page - 1] = url_for(
                endpoint, **params, page=page - 1, before=encode_cursor(first)
            )
    numbered = {item["number"]: item["href"] for item in links["items"] if "number" in item}
    assert numbered == {n: expected[n] for n in numbered}
    if page < 5:
        assert links["next"]["href"] == expected[page + 1]
    if page > 1:
        assert links["previous"]["href"] == expected[page - 1]
