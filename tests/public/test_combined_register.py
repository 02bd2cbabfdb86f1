"""Every charter's signatories together (/charters/register, issue 20): each organisation once,
with the charters on whose registers it is; search and filters as a charter's register has
them, and no standing filter (a standing is one charter's)."""

from __future__ import annotations

import pytest

from charter.extensions import db
from charter.services.domain import signings
from charter.services.domain.schemes import load_scheme_text
from tests.factories import make_organisation
from tests.public.charter_helpers import second_charter_text
from tests.public.register_helpers import signed_in_may_and_october


@pytest.fixture
def two_charters(app, scheme):
    second = load_scheme_text(second_charter_text()).scheme
    db.session.commit()
    both = make_organisation(scheme=scheme, name="Both Charters Ltd", status="monitoring")
    signings.start(both, second).status = "monitoring"
    make_organisation(scheme=scheme, name="Shropshire Only Ltd", status="signatory")
    make_organisation(scheme=second, name="Worcester Only Ltd", status="signatory")
    make_organisation(scheme=second, name="Not Yet Signed Ltd", status="registered")
    db.session.commit()
    return second


def items(page: str) -> dict[str, str]:
    found = {}
    for item in page.split('<li class="govuk-!-margin-bottom-6">')[1:]:
        text = " ".join(item.split("</li>", 1)[0].split())
        name = text.split("</h3>", 1)[0].rsplit(">", 1)[-1].strip()
        found[name] = text
    return found


def test_each_organisation_once_with_the_charters_it_signed(client, two_charters):
    response = client.get("/charters/register")
    assert response.status_code == 200
    listed = items(response.get_data(as_text=True))
    assert set(listed) == {"Both Charters Ltd", "Shropshire Only Ltd", "Worcester Only Ltd"}
    both = listed["Both Charters Ltd"]
    assert "Social Value Charter for Shropshire" in both
    assert "Worcestershire Commercial Social Value Charter" in both
    assert 'href="/c/worcestershire/register/' in both
    assert "Worcestershire" not in listed["Shropshire Only Ltd"]
    assert "3 organisations" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("standing=holders", "Select which organisations to show"),
        ("district=Atlantis", "Select a district from the list"),
        ("q=%01", "Organisation name must only include letters"),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, two_charters, query, message):
    response = client.get(f"/charters/register?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page


def test_a_search_narrows_it(client, two_charters):
    listed = items(client.get("/charters/register?q=only").get_data(as_text=True))
    assert set(listed) == {"Shropshire Only Ltd", "Worcester Only Ltd"}


def test_the_page_costs_the_same_queries_for_more_organisations(
    client, two_charters, query_counter
):
    def count_for_page() -> int:
        with query_counter() as counter:
            assert client.get("/charters/register").status_code == 200
        return counter.value

    few = count_for_page()
    for n in range(20):
        make_organisation(scheme=two_charters, name=f"More {n} Ltd", status="signatory")
    assert count_for_page() == few
    # The register's version, the districts and sectors, the count, the page and the charters
    # each organisation is on; then kept until the register changes, but the version.
    assert few <= 6
    assert count_for_page() == 1


def test_each_charters_page_of_an_organisation_shows_its_own_signature(client_request, scheme):
    """Signed Shropshire's charter in May, Worcestershire's in October: each charter's page of
    the organisation says when it signed that charter and which scheme, never the other's."""
    second = load_scheme_text(second_charter_text()).scheme
    db.session.commit()
    both = make_organisation(scheme=scheme, name="Both Charters Ltd", status="monitoring")
    signings.start(both, second).status = "monitoring"
    signed_in_may_and_october(both, scheme, second)
    db.session.commit()

    def signed(charter_slug: str) -> dict[str, str]:
        page = client_request.get(
            "public.show_register_entry", charter_slug=charter_slug, slug=both.slug
        )
        rows = {}
        for row in page.select(".govuk-summary-list__row"):
            key = row.select_one(".govuk-summary-list__key").get_text(" ", strip=True)
            rows[key] = row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        return {key: rows.get(key) for key in ("Signed on", "Scheme")}

    assert signed("shropshire") == {
        "Signed on": "1 May 2026",
        "Scheme": f"{scheme.name}, version {scheme.version}",
    }
    assert signed("worcestershire") == {
        "Signed on": "2 October 2026",
        "Scheme": f"{second.name}, version {second.version}",
    }
