"""Organisations: create an account and sign the charter, write an action plan, send a
monitoring return with a file. Each journey goes through the pages as a person would."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _follow_emailed_link(visitor, to: str, starts_with: str) -> None:
    """Open the newest email to ``to`` on the development outbox page and follow its link."""
    visitor.goto("/dev/emails")
    email = visitor.page.locator(".govuk-summary-card, article, section, li", has_text=to).first
    link = email.locator(f"a[href*='{starts_with}']").first
    visitor.follow(link.click)


def test_create_an_account_register_and_sign_the_charter(visitor):
    page = visitor.page
    visitor.goto("/")
    visitor.click_link("Sign in", exact=True)
    visitor.click_link("create an account")
    page.get_by_label("Full name").fill("Rhiannon Price")
    page.get_by_label("Email address").fill("rhiannon@wem-willow-crafts.example")
    page.get_by_label("Create a password").fill("willow baskets by the river")
    page.get_by_label("Confirm password").fill("willow baskets by the river")
    visitor.press("Create account")
    assert "rhiannon@wem-willow-crafts.example" in page.inner_text("main")

    # Confirming the address in the same browser signs the person in (issue 11).
    _follow_emailed_link(visitor, "rhiannon@wem-willow-crafts.example", "/verify-email/")
    assert "You are signed in" in page.inner_text("main")

    visitor.click_link("Register an organisation")
    page.get_by_label("Organisation name").fill("Wem Willow Crafts Ltd")
    page.get_by_label("Business", exact=True).check()
    page.get_by_label("Micro (fewer than 10 employees)").check()
    page.get_by_label("Sector", exact=True).select_option("Manufacturing")
    page.get_by_label("Address line 1").fill("4 Mill Street")
    page.get_by_label("Town or city").fill("Wem")
    page.get_by_label("Postcode").fill("SY4 5AA")
    page.get_by_label("District", exact=True).select_option("North Shropshire")
    page.get_by_label("Website (optional)").fill("www.wem-willow.example")
    page.get_by_role("radio", name="Companies House number").check()
    page.get_by_role("textbox", name="Companies House number").fill("12345678")
    visitor.press("Continue")
    assert "https://www.wem-willow.example" in page.inner_text("main")  # completed, not refused
    visitor.press("Register organisation")

    visitor.click_link(re.compile("sign the charter", re.I))
    visitor.click_link("Start now")
    for box in page.get_by_label("We commit to this principle").all():
        box.check()
    visitor.press("Continue")
    assert page.get_by_label("Full name").input_value() == "Rhiannon Price"  # pre-filled
    page.get_by_label("Role or job title").fill("Director")
    page.get_by_label(re.compile("I confirm I have the authority")).check()
    visitor.press("Continue")
    page.get_by_label("Working towards it, to a timetabled plan").check()
    visitor.press("Continue")
    visitor.press("Sign the charter")

    panel = page.locator(".govuk-panel")
    assert re.search(r"SIG-\d{4}-\d{5}", panel.inner_text())  # a real reference
    visitor.click_link("Write your action plan")
    assert "/action-plan" in page.url
