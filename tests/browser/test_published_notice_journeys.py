"""Contracts from published notices in the browser (issue 22, docs/ocds.md): the real Contracts
Finder tender of Telford and Wrekin Council and an invented award of it to the demo's Telford
Timber Frame Ltd are imported into the served demo; the owner sees the proposal and accepts it;
an administrator reads the awards waiting for a match and a commissioner's buyer identifiers.
Every page passes the checks of page_helpers (axe at 1280 and 320 px, no sideways scroll)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from charter.demo.journeys import DEMO_PASSWORD
from tests.browser.server_helpers import ROOT

pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures" / "ocds"
SUPPLIER = "telford-timber-frame-ltd"  # GB-COH-08765432 in the demo
TITLE = "Timber frame classrooms, Hadley Learning Community"


def _award_to_the_demo(
    tmp_path: Path, award_id: str = "browser-1", title: str = TITLE, name: str = "award.json"
) -> Path:
    """The invented Telford award, as a later release awarding one lot to the demo supplier
    (each test its own award: the served demo is shared)."""
    package = json.loads((FIXTURES / "invented-telford-award.json").read_text())
    release = package["releases"][0]
    release["id"] += f"-{award_id}"
    release["date"] = "2026-12-01T09:00:00Z"
    release["parties"].append(
        {
            "id": "GB-COH-08765432",
            "name": "Telford Timber Frame Ltd",
            "identifier": {"scheme": "GB-COH", "id": "08765432"},
            "roles": ["supplier"],
        }
    )
    release["awards"] = [
        {
            "id": award_id,
            "title": title,
            "status": "active",
            "value": {"amount": 1250000, "currency": "GBP"},
            "suppliers": [{"id": "GB-COH-08765432", "name": "Telford Timber Frame Ltd"}],
            "contractPeriod": {"startDate": "2027-02-01", "endDate": "2028-07-31"},
        }
    ]
    path = tmp_path / name
    path.write_text(json.dumps(package))
    return path


def _import(live_server, *paths: Path) -> None:
    env = {**os.environ, "DATABASE_URL": live_server.database_url}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "charter", "import-notices", *paths],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_published_award_is_proposed_accepted_and_the_rest_wait(visitor, live_server, tmp_path):
    _import(
        live_server,
        FIXTURES / "cf-telford-and-wrekin.json",
        FIXTURES / "invented-telford-award.json",
        _award_to_the_demo(tmp_path),
    )
    page = visitor.page
    visitor.sign_in(f"owner@{SUPPLIER}.demo.example", DEMO_PASSWORD)
    visitor.goto(f"/organisations/{SUPPLIER}/contracts")
    card = page.locator(".govuk-summary-card", has_text=TITLE)
    assert "£1,250,000" in card.inner_text()
    visitor.follow(lambda: card.get_by_role("button", name="Accept").click())
    assert "added from the published notice" in page.inner_text("main")
    assert "Waiting for confirmation" in page.inner_text("main")
    visitor.press("Sign out")

    visitor.sign_in("admin@demo.example", DEMO_PASSWORD)
    visitor.goto("/admin/published-notices")
    assert "Severn Valley Security Ltd" in page.inner_text("main")
    visitor.goto("/admin/commissioners")
    visitor.click_link("Telford & Wrekin Council")
    visitor.click_link("Add a buyer identifier")
    visitor.press("Add buyer identifier", status=200)  # nothing entered
    assert "Enter the buyer identifier" in page.locator(".govuk-error-summary").inner_text()


def _termination_of_the_demo_award(tmp_path: Path) -> Path:
    """A later notice terminating the demo supplier's contract (UK11 shape)."""
    package = json.loads((FIXTURES / "invented-telford-termination.json").read_text())
    release = package["releases"][0]
    release["id"] += "-browser"
    release["contracts"][0].update({"id": "browser-contract-2", "awardID": "browser-2"})
    release["contracts"][0]["implementation"]["endDate"] = "2027-12-31T00:00:00Z"
    path = tmp_path / "termination.json"
    path.write_text(json.dumps(package))
    return path


def _shot(page, name: str) -> None:
    """Screenshots at 1280 and 320 px for a person to look at, when SCREENSHOTS_DIR is set."""
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    size = page.viewport_size
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)


TERMINATED = "Timber frame sports hall, Hadley Learning Community"


def test_a_termination_is_accepted_and_the_ppon_recorded(visitor, live_server, tmp_path):
    _import(
        live_server,
        FIXTURES / "cf-telford-and-wrekin.json",
        FIXTURES / "invented-telford-award.json",
        _award_to_the_demo(tmp_path, "browser-2", TERMINATED, "award-2.json"),
    )
    page = visitor.page
    visitor.sign_in(f"owner@{SUPPLIER}.demo.example", DEMO_PASSWORD)
    visitor.goto(f"/organisations/{SUPPLIER}/contracts")
    card = page.locator(".govuk-summary-card", has_text=TERMINATED)
    visitor.follow(lambda: card.get_by_role("button", name="Accept").click())
    _import(live_server, _termination_of_the_demo_award(tmp_path))

    visitor.goto(f"/organisations/{SUPPLIER}/contracts")
    card = page.locator(".govuk-summary-card", has_text="31 December 2027 published")
    assert "mutualAgreement" in card.inner_text()
    _shot(page, "termination-proposed")
    visitor.follow(lambda: card.get_by_role("button", name="Accept the termination").click())
    assert "Contract ended on 31 December 2027" in page.inner_text("main")
    assert "Ended on 31 December 2027, as a termination notice published it" in page.inner_text(
        "main"
    )
    _shot(page, "termination-accepted")

    visitor.goto(f"/organisations/{SUPPLIER}")
    visitor.click_link("Add Public Procurement Organisation Number")
    page.get_by_label("PPON").fill("PWLK-48211-TRNV")
    visitor.press("Save PPON")
    assert "in the correct format" in page.locator(".govuk-error-summary").inner_text()
    _shot(page, "ppon-error")
    page.get_by_label("PPON").fill("pwlk 4821 trnv")
    visitor.press("Save PPON")
    assert "PPON saved" in page.inner_text("main")
    assert "PWLK-4821-TRNV" in page.inner_text("main")
    _shot(page, "ppon-dashboard")
