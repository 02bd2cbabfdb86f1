"""Organisations: create an account and sign the charter, write an action plan, send a
monitoring return with a file. Each journey goes through the pages as a person would."""

from __future__ import annotations

import re

import pytest

from charter.demo.journeys import DEMO_PASSWORD
from tests.browser.demo_helpers import return_to_send

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
    visitor.press("Continue")  # unanswered: the error summary links to the question
    assert "Select yes if you agree to publish" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Yes, publish our verified figures").check()
    visitor.press("Continue")
    answers = page.inner_text("main")
    assert "Publish your verified figures" in answers
    assert "Yes, publish our verified figures" in answers
    visitor.press("Sign the charter")

    panel = page.locator(".govuk-panel")
    assert re.search(r"SIG-\d{4}-\d{5}", panel.inner_text())  # a real reference
    visitor.click_link("Write your action plan")
    assert "/action-plan" in page.url
    visitor.goto("/organisations/wem-willow-crafts-ltd")
    assert "Yes: your verified figures are on the register" in page.inner_text("main")


def test_write_an_action_plan(visitor):
    page = visitor.page
    visitor.sign_in("owner@stiperstones-training-trust.demo.example", DEMO_PASSWORD)
    visitor.click_link("Stiperstones Training Trust")
    visitor.click_link(re.compile("action plan", re.I))
    visitor.press("Start your action plan")

    targets = page.get_by_role("link", name=re.compile(r"^Add target for "))
    hrefs = [link.get_attribute("href") for link in targets.all()]
    first = hrefs[0]
    # A date with no month: the error summary's link takes focus to the month box (issue 11).
    visitor.goto(first)
    page.get_by_label("Baseline").fill("120")
    page.get_by_label(re.compile(r"Target \(")).fill("150")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Year").fill("2028")
    page.get_by_label("How you will do it").fill("Buy from local suppliers first.")
    visitor.press("Save target")
    page.locator(".govuk-error-summary a", has_text="must include a day, month and year").click()
    assert page.evaluate("document.activeElement.name + ' ' + document.activeElement.id") == (
        "target_date target_date-month"
    )

    for number, href in enumerate(hrefs):
        visitor.goto(href)
        page.get_by_label("Baseline").fill("1,200" if number == 0 else "40")  # LE1, in £
        page.get_by_label(re.compile(r"Target \(")).fill("1500" if number == 0 else "60")
        page.get_by_label("Day").fill("31")
        page.get_by_label("Month").fill("3")
        page.get_by_label("Year").fill("2028")
        page.get_by_label("How you will do it").fill("Buy from local suppliers first.")
        visitor.press("Save target")

    visitor.click_link("Add a milestone")
    page.get_by_label("What will you have done?").fill("Local supplier event held")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2027")
    visitor.press("Add milestone")
    visitor.click_link("Check and submit your plan")
    main = page.inner_text("main")
    assert "£1,200" in main and "1200.00" not in main  # figures as people read them
    visitor.press("Submit your action plan")
    assert "submitted" in page.inner_text("main").lower()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_send_a_monitoring_return_with_a_file(visitor, live_server):
    page = visitor.page
    # An organisation in monitoring with a return not sent yet: which one, and which period,
    # depends on when the demo data was built, so the data says.
    name, slug, period = return_to_send(live_server.database_url)
    visitor.sign_in(f"owner@{slug}.demo.example", DEMO_PASSWORD)
    visitor.click_link(name)
    visitor.click_link(re.compile("monitoring returns", re.I))
    visitor.click_link(period)

    lines = page.locator(".govuk-task-list a")
    hrefs = [link.get_attribute("href") for link in lines.all()]
    assert hrefs
    for number, href in enumerate(hrefs):
        visitor.goto(href)
        if number == 0:
            page.get_by_label("Upload a file").set_input_files(
                {"name": "minibus-journeys.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
            visitor.press("Upload file")
            assert "minibus-journeys.pdf" in page.inner_text("main")
        else:
            page.get_by_label("Web address").fill("https://mereside.example/annual-report")
            page.get_by_label("Description").fill(f"Annual report, {period}")
            visitor.press("Add link")
        # A figure for the measure, or one per contract active in the period (per-contract
        # measures); "Not on a listed contract" is optional and left empty.
        for box in page.locator("form input[inputmode='decimal']").all():
            label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
            if not box.input_value() and "Not on a listed contract" not in label:
                box.fill("42")
        page.get_by_label("What you did").fill("Ran the community minibus service.")
        visitor.press("Save and continue")
        # A figure out of line (42 FTE in a micro organisation, spend above a contract's value
        # for the period) comes back with the reasons and needs an explanation to send.
        if page.get_by_label("Why is this figure right?").count():
            assert "This figure is out of line" in page.inner_text("main")
            page.get_by_label("Why is this figure right?").fill("Two quarters' work, paid late.")
            visitor.press("Save and continue")

    visitor.goto(hrefs[0].split("/measures/")[0])
    visitor.click_link("Check and send your return")
    assert "minibus-journeys.pdf" in page.inner_text("main")
    visitor.press(re.compile("Send", re.I))
    assert "sent" in page.inner_text("main").lower()
