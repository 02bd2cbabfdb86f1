"""Assessors: find work, decide on an action plan, verify a monitoring return, and see why an
application cannot be awarded yet."""

from __future__ import annotations

import re

import pytest

from charter.demo.journeys import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_assessor_decides_on_a_plan_and_a_return(visitor):
    page = visitor.page
    visitor.sign_in("assessor1@demo.example", DEMO_PASSWORD)
    visitor.goto("/assessor/")
    page.get_by_label("Organisation name").fill("whitchurch")
    visitor.press("Filter")
    assert "Wenlock Edge Ecology" not in page.inner_text("main")  # withdrawn: not waiting
    visitor.click_link("Whitchurch Dairy Supplies Ltd")
    assert "£" in page.inner_text("main") and ".00 £" not in page.inner_text("main")
    page.get_by_label("Approve the action plan").check()
    page.get_by_label("Comments").fill("A clear plan with realistic targets.")
    visitor.press("Send decision")
    assert "You approved revision" in page.inner_text("main")

    visitor.click_link("Ludlow Larder Catering Ltd")
    groups = page.locator("fieldset", has=page.locator("legend", has_text="Your decision on"))
    assert groups.count() > 0
    for group in groups.all():  # every accept/query group is named by its legend
        group.get_by_label("Accept: the evidence supports the figure").check()
    visitor.press("Send decision")
    assert (
        "Ludlow Larder Catering Ltd" not in page.locator("#returns-waiting ~ *").first.inner_text()
    )


def test_an_assessor_is_told_why_an_application_cannot_be_awarded_yet(visitor):
    page = visitor.page
    visitor.sign_in("assessor2@demo.example", DEMO_PASSWORD)
    visitor.goto("/assessor/")
    applications = page.locator("#applications-waiting ~ .app-table-scroll a")
    visitor.follow(applications.first.click)
    assert "/assessor/applications/" in page.url
    decision = page.locator("#decision ~ *")
    text = " ".join(decision.all_inner_texts())
    if "the award rule does not hold" in text:
        assert page.get_by_role("button", name="Award the Charter Mark").count() == 0
        page.get_by_role("link", name="See what stops an award").click()  # within the page
        assert page.url.endswith("#award-rule")
    else:
        assert page.get_by_role("button", name="Award the Charter Mark").count() == 1
    assert page.get_by_role("button", name=re.compile("information", re.I)).count() == 1
