"""Fixtures for the browser tests: one served app and one Chromium for the run, a fresh
browser context (no cookies) per test, and a screenshot of the page when a test fails."""

from __future__ import annotations

import os

import pytest

from tests.browser.page_helpers import FAILURES_DIR, Visitor
from tests.browser.server_helpers import CHROMIUM, chromium_available, start_server

_PAGES_CHECKED: list[str] = []


def pytest_collection_modifyitems(items):
    if chromium_available():
        return
    # CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"Chromium is not installed at {CHROMIUM}: apt-get install chromium"
        )
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def visitor(chromium, live_server):
    # bypass_csp: only so axe-core can be injected; the app's own pages still send their CSP.
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    driver = Visitor(page, live_server.url)
    yield driver
    unchecked = driver.unchecked()
    _PAGES_CHECKED.extend(driver.checked)
    context.close()
    assert not unchecked, f"pages visited without the checks: {unchecked}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    driver = item.funcargs.get("visitor") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and driver is not None:
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        try:
            driver.page.screenshot(path=str(FAILURES_DIR / f"{item.name}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001  (a closed page must not hide the real failure)
            report.sections.append(("screenshot", f"no screenshot: {exc}"))
    return report


def pytest_terminal_summary(terminalreporter):
    if _PAGES_CHECKED:
        distinct = len({url.split("?")[0] for url in _PAGES_CHECKED})
        terminalreporter.write_line(
            f"browser tests: {len(_PAGES_CHECKED)} page visits ({distinct} distinct pages) "
            "passed axe-core, the escaped-markup check and the 320 px check"
        )
