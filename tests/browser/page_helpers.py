"""What every page a browser test visits must pass, and a driver that checks each one.

On every page: axe-core with all WCAG 2.0/2.1/2.2 A and AA rules and the best-practice rules
(zero violations), no escaped markup in the visible text, and no sideways scrolling of the page
at 320 px (a wide table scrolls inside its own labelled region instead). A failing page is
saved as a screenshot in ``FAILURES_DIR``.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.server_helpers import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILURES_DIR = ROOT / "test-results" / "browser"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

# Nodes that axe flags because of where GOV.UK Frontend puts things by design. Each is exempt
# only for the elements named, never the whole rule, and each names the upstream issue.
KNOWN_UPSTREAM = {
    # The back link goes before <main>, as the Design System places it: "All page content
    # should be contained by landmarks" (best practice). alphagov/govuk-frontend#1604, #6460.
    "region": lambda node: node["target"] == [".govuk-back-link"],
    # Radios that reveal a conditional question carry aria-expanded, which ARIA does not list
    # for role=radio; GOV.UK keeps it as screen readers announce it. alphagov/govuk-frontend#979.
    "aria-allowed-attr": lambda node: (
        ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and "aria-expanded" in node["html"]
    ),
}

# Markup that shows as text when a template escapes HTML it meant to output.
ESCAPED_MARKUP = re.compile(r'<strong|<span|<br|<a |<p>|&lt;|&gt;|&amp;|&quot;|class="govuk-')

_OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right <= root.clientWidth + 1) continue;
    let scroller = el.parentElement;
    while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) {
      scroller = scroller.parentElement;
    }
    if (!scroller) culprits.push(el.outerHTML.slice(0, 120));
  }
  return culprits.length ? culprits.slice(-3) : ['(page wider than the window)'];
}"""


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
             resultTypes: ['violations']})).violations""",
        AXE_TAGS,
    )
    left = []
    for violation in violations:
        exempt = KNOWN_UPSTREAM.get(violation["id"], lambda _node: False)
        nodes = [node for node in violation["nodes"] if not exempt(node)]
        if nodes:
            left.append({**violation, "nodes": nodes})
    return left


def _axe_problems(page: Page, width: str) -> list[str]:
    problems = []
    for violation in axe_violations(page):
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        problems.append(f"axe at {width} {violation['id']} ({violation['help']}): {targets}")
    return problems


def _after_the_next_frame(page: Page) -> None:
    """Resize and ResizeObserver callbacks run in the frame after the window changes size; wait
    for two frames so the page is checked as a person would next see it, not mid-change."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def page_problems(page: Page) -> list[str]:
    """axe at the window's width and again at 320 px (where targets crowd and text wraps), the
    escaped-markup check, and the 320 px sideways-scroll check."""
    size = page.viewport_size
    problems = _axe_problems(page, f"{size['width']} px")
    text = page.inner_text("body")
    for match in ESCAPED_MARKUP.finditer(text):
        start = max(0, match.start() - 40)
        problems.append(f"escaped markup shown as text: …{text[start : match.end() + 40]}…")
    page.set_viewport_size({"width": 320, "height": 720})
    _after_the_next_frame(page)
    if size["width"] != 320:
        problems += _axe_problems(page, "320 px")
    overflow = page.evaluate(_OVERFLOW)
    if overflow:
        name = "failure"
        page.screenshot(path=str(_screenshot_path(page, name, "320")), full_page=True)
        problems.append(f"scrolls sideways at 320 px because of: {overflow}")
    page.set_viewport_size(size)
    _after_the_next_frame(page)
    return problems


def _screenshot_path(page: Page, name: str, suffix: str) -> Path:
    FAILURES_DIR.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", page.url.split("//", 1)[-1].split("/", 1)[-1].lower())
    return FAILURES_DIR / f"{name}-{slug.strip('-') or 'home'}-{suffix}.png"


class Visitor:
    """Drives one browser page and checks every page it lands on."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        self.landed: list[str] = []
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.landed.append(frame.url),
        )

    def check(self) -> None:
        """The checks every page must pass; a failure keeps a screenshot."""
        self.page.wait_for_load_state("load")
        problems = page_problems(self.page)
        self.checked.append(self.page.url)
        if problems:
            shot = _screenshot_path(self.page, "failure", "1280")
            self.page.screenshot(path=str(shot), full_page=True)
            raise AssertionError(
                f"{self.page.url} fails {len(problems)} check(s) (screenshot {shot}):\n"
                + "\n".join(problems)
            )

    def goto(self, path: str, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        self.check()

    def follow(self, action, status: int = 200) -> None:
        """Do ``action`` (a click or a form submission) and check the page it leads to."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        assert response is not None and response.status == status, (
            self.page.url,
            response and response.status,
        )
        self.check()

    def click_link(self, name, **kwargs) -> None:
        """Follow a link (or a link styled as a button, such as "Start now")."""
        link = self.page.get_by_role("link", name=name, **kwargs)
        styled = self.page.get_by_role("button", name=name, **kwargs).and_(self.page.locator("a"))
        self.follow(lambda: link.or_(styled).first.click())

    def press(self, name: str, status: int = 200, **kwargs) -> None:
        self.follow(
            lambda: self.page.get_by_role("button", name=name, **kwargs).first.click(), status
        )

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/sign-in")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.press("Sign in")

    def unchecked(self) -> list[str]:
        """Pages landed on but not checked (a move within a page, to a #fragment, is not a page)."""
        checked = {url.split("#")[0] for url in self.checked}
        return [
            url for url in self.landed if url.split("#")[0] not in checked and url != "about:blank"
        ]
