"""Browser journeys: Playwright for Python driving Debian's chromium, headless,
against pytest-django's live server (issue 8).

Every page a journey visits is checked with axe-core (vendored, never from a CDN)
for serious or critical WCAG 2.2 AA violations, and for Content Security Policy
violations reported by the browser (an inline script or style would show here).
Screenshots go to ``test-artefacts/``.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.demo_copy import load_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTEFACTS = Path(django_settings.BASE_DIR) / "test-artefacts"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the printed demo password


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Module-scoped on purpose: while Playwright's
    sync API is active it keeps an asyncio loop running in this thread, so it must
    stop before other modules run."""
    from playwright.sync_api import sync_playwright

    # With that loop running, Django would refuse the ORM calls the test makes
    # between browser steps; they are synchronous and safe. Only while it runs, so
    # the flag never leaks into other tests (check --deploy rejects it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo(transactional_db, settings):
    """The demo boards, people, meetings and funds, loaded inside the test."""
    settings.OTP_REQUIRED = False
    load_demo()


class Visit:
    """One signed-in browser tab that checks every page it lands on."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.csp_violations: list[str] = []
        self.checked: list[str] = []
        self.problems: list[str] = []
        page.on("console", self._console)
        # "Are you sure?" confirmations (data-confirm): the person says yes.
        page.on("dialog", lambda dialog: dialog.accept())
        page.set_default_timeout(15_000)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.csp_violations.append(text)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response.status)
        self.check()
        return response

    def sign_in(self, email: str, password: str = DEMO_PASSWORD):
        self.page.goto(self.base_url + "/accounts/login/")
        self.check()
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        assert "/accounts/login/" not in self.page.url, self.page.inner_text("main")

    def sign_out(self):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign out").click()

    def check(self):
        """axe-core on the current page: no serious or critical violation, and no CSP
        violation so far."""
        self.page.wait_for_load_state()
        self.page.mouse.move(0, 0)  # no hover state left on what was just clicked
        self.page.evaluate(AXE_JS)
        result = self.page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' +
                        ((n.any[0] || n.all[0] || n.none[0] || {}).message || ''))}));
            }""",
            AXE_TAGS,
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        url = self.page.url.removeprefix(self.base_url)
        self.checked.append(url)
        if bad:
            self.problems.append(f"axe on {url}: {bad}")
        if self.csp_violations:
            self.problems.append(f"CSP on {url}: {self.csp_violations}")
            self.csp_violations = []

    def assert_clean(self):
        """Fail with every problem found on every page checked, not just the first."""
        assert not self.problems, "\n".join(self.problems)

    def screenshot(self, suffix: str = "", locator=None):
        """The whole page, or one part of it (``locator``), under test-artefacts/."""
        ARTEFACTS.mkdir(exist_ok=True)
        path = ARTEFACTS / f"{self.name}{suffix}.png"
        if locator is not None:
            locator.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visit(browser, live_server, request):
    """``visit()`` opens a fresh browser context (own cookies) named after the test;
    call it twice for two people at once."""
    contexts = []

    def open_tab(suffix: str = "") -> Visit:
        # Reduced motion: Bootstrap then skips its colour transitions, so axe never
        # samples a button halfway between two colours.
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            reduced_motion="reduce",
        )
        contexts.append(context)
        name = request.node.name + (f"-{suffix}" if suffix else "")
        return Visit(context.new_page(), live_server.url, name)

    yield open_tab
    for context in contexts:
        context.close()
