"""An administrator publishes the demo's new signatory after checking it, and hides another
entry with a reason, which its owner reads on the dashboard, then brings it back. Every page is
checked (accessibility, no console errors) as it is landed on."""

from __future__ import annotations

import re

import pytest

from charter.demo.journeys import DEMO_PASSWORD

pytestmark = pytest.mark.browser

HIDDEN = "wem-community-food-hub"  # a demo member's organisation, monitoring


def test_an_administrator_publishes_a_new_signatory_and_hides_an_entry(visitor):
    page = visitor.page
    visitor.goto("/c/shropshire/register")
    register = page.inner_text("main")
    visitor.sign_in("admin@demo.example", DEMO_PASSWORD)
    visitor.goto("/admin/")
    visitor.click_link("New signatories to check")
    awaiting = page.locator("tbody tr").first.locator("a").inner_text()
    assert awaiting not in register
    visitor.press(f"Publish {awaiting}")
    assert f"{awaiting} is now on the public register" in page.inner_text("main")

    visitor.goto(f"/admin/organisations/{HIDDEN}")
    visitor.click_link("Hide it from the register")
    visitor.press("Hide from the register", status=200)
    assert "Enter the reason" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Why are you hiding the entry?").fill("Its name is being checked.")
    visitor.press("Hide from the register")
    assert "hidden from the public register" in page.inner_text("main")
    visitor.press("Sign out")

    visitor.goto(f"/c/shropshire/register/{HIDDEN}", status=404)
    visitor.sign_in(f"owner@{HIDDEN}.demo.example", DEMO_PASSWORD)
    visitor.goto(f"/organisations/{HIDDEN}")
    notice = page.get_by_role("region", name="Your register entry").inner_text()
    assert re.search(r"hidden from the public register.*Its name is being checked", notice, re.S)
    visitor.press("Sign out")

    visitor.sign_in("admin@demo.example", DEMO_PASSWORD)
    visitor.goto(f"/admin/organisations/{HIDDEN}")
    visitor.press("Bring back onto the register")
    visitor.press("Sign out")
    visitor.goto(f"/c/shropshire/register/{HIDDEN}")
