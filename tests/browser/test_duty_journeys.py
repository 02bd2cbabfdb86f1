"""After the award: a holder drawn for audit sends its source documents and the assessor reads
them; a commissioner's contract manager reads what its suppliers committed against what they
delivered, and downloads it."""

from __future__ import annotations

import re

import pytest

from charter.demo.journeys import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUDITED = "church-stretton-accountancy-llp"  # the demo's holder waiting to send documents


def test_a_holder_sends_its_audit_documents_and_the_assessor_reads_them(visitor):
    page = visitor.page
    visitor.sign_in(f"owner@{AUDITED}.demo.example", DEMO_PASSWORD)
    visitor.goto(f"/organisations/{AUDITED}")
    visitor.click_link("Go to your audit")
    visitor.press("Upload document", status=400)  # nothing chosen: the summary says what to do
    assert (
        "Select the figure this document is for"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_role("radio", name=re.compile(r"LE1")).first.check()
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "purchase-ledger.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    visitor.press("Upload document")
    assert "purchase-ledger.pdf uploaded" in page.inner_text("main")
    visitor.press("Send documents to the assessor")
    assert "Documents sent" in page.inner_text("main")
    assert page.get_by_role("button", name=re.compile("Remove")).count() == 0
    visitor.press("Sign out")

    visitor.sign_in("assessor1@demo.example", DEMO_PASSWORD)
    visitor.goto("/assessor/audits")
    visitor.click_link("Church Stretton Accountancy LLP")
    main = page.inner_text("main")
    assert "purchase-ledger.pdf" in main and "Sent to you on" in main
    with page.expect_download() as download:
        page.get_by_role("link", name="purchase-ledger.pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_contract_manager_reads_and_downloads_the_report(visitor):
    page = visitor.page
    visitor.sign_in("contracts@shropshire-council.demo.example", DEMO_PASSWORD)
    visitor.goto("/commissioner/")
    visitor.click_link(re.compile("committed and delivered"))
    assert "/commissioner/report" in page.url
    tables = page.locator("main table")
    assert tables.count() > 0
    assert "Total" in tables.first.inner_text()
    page.get_by_label("Period", exact=True).select_option(index=1)
    visitor.press("Show report")
    assert "period=" in page.url
    for name, suffix in (("CSV file", ".csv"), ("Excel", ".xlsx")):
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(name)).first.click()
        assert download.value.suggested_filename.endswith(suffix)
