"""The public: find an organisation on the register, check its Charter Mark, see its badge."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_find_an_organisation_and_verify_its_badge(visitor):
    page = visitor.page
    visitor.goto("/")  # the service home lists the charters
    visitor.click_link("Social Value Charter for Shropshire")
    visitor.click_link("Search the register of signatories and Charter Mark holders")
    page.get_by_label("Organisation name").fill("severn valley")
    visitor.press("Apply filters")
    assert page.get_by_role("heading", name="1 organisation").is_visible()

    visitor.click_link("Severn Valley Builders Ltd")
    standing = page.locator(".govuk-summary-list__row", has_text="Standing")
    assert standing.locator("strong.govuk-tag").inner_text() == "Valid"  # a tag, not markup
    certificate = page.locator("a[href^='/c/shropshire/verify/']").first.inner_text()
    assert re.fullmatch(r"CM-[A-Z0-9]{8}", certificate)

    visitor.click_link(certificate)
    assert f"Certificate {certificate}" in page.locator("main").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Severn Valley Builders Ltd"
    assert "This organisation holds the Social Value Charter Mark." in page.inner_text("main")

    # A badge embedded on the holder's website before charters had their own addresses: the
    # old address moves permanently, and the image is served at the end of the redirect.
    badge = page.request.get(f"{visitor.base_url}/badge/{certificate}.svg")
    assert badge.url.endswith(f"/c/shropshire/badge/{certificate}.svg")
    assert badge.ok and badge.headers["content-type"].startswith("image/svg+xml")
    assert 'aria-label="Social Value Charter Mark: Valid"' in badge.text()


def test_the_register_filters_and_the_how_it_works_page_on_a_phone(visitor):
    page = visitor.page
    page.set_viewport_size({"width": 320, "height": 720})
    visitor.goto("/c/shropshire/register")
    # On a phone the filters are folded away, so the first results are near the top.
    results = page.get_by_role("heading", name=re.compile(r"^\d+ organisations$"))
    assert results.bounding_box()["y"] < 900
    page.get_by_text("Filter by district, type, sector or standing").click()
    page.get_by_label("Charter Mark holders").check()
    visitor.press("Apply filters")
    assert page.locator("details.app-register-filters").get_attribute("open") is not None
    visitor.click_link("What each column means, and the licence")
    assert page.get_by_role("heading", level=1).inner_text() == "About the register data"

    page.set_viewport_size({"width": 1280, "height": 900})
    visitor.goto("/c/shropshire/how-it-works")
    page.get_by_text("The stages as a diagram (Mermaid text)").click()
    summary_font = page.locator("details summary").evaluate("e => getComputedStyle(e).fontFamily")
    assert "monospace" not in summary_font


def test_every_charter_together(visitor):
    """Every charter's signatories and what the charters deliver together (issue 20): found
    and read as a visitor would (axe and the 320 px check run on each page)."""
    page = visitor.page
    visitor.goto("/charters/register")
    page.get_by_label("Organisation name").fill("severn valley")
    visitor.press("Apply filters")
    assert page.get_by_role("heading", name="1 organisation").is_visible()
    assert "Signed: Social Value Charter for Shropshire" in page.inner_text("main")
    # The result's own link (the page's opening lines also link each charter's register).
    results = page.locator('ul[aria-labelledby="results"]')
    visitor.follow(
        lambda: results.get_by_role("link", name="Social Value Charter for Shropshire").click()
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Severn Valley Builders Ltd"
    visitor.goto("/charters/impact")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "What the charters deliver together"
    )
    # One charter here: its own page has its figures.
    visitor.click_link("Social Value Charter for Shropshire’s page")
    assert page.get_by_role("heading", level=1).inner_text() == "What the charter delivers"
