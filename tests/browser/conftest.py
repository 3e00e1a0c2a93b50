"""Headless Chromium (Debian's, never a downloaded one) on the built console of a real server.

Every test gets a `console` per viewport (desktop 1280x800, phone 390x844), in the machine's
time zone or the one `@pytest.mark.timezone("Europe/Berlin")` names. It saves a screenshot of
each screen into tests/browser/screenshots/, checks that nothing scrolls sideways there, and
fails when the browser console logged an error.
"""

import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

import console as console_package
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.backends import local_env
from tests.support import ServerProcess

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
HTTP_ERROR = re.compile(r"status of (\d{3})")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "timezone(zone): the browser's time zone for this test (IANA name)"
    )


def unavailable(reason: str) -> NoReturn:
    """In CI a missing console or browser is a failure; on a laptop, a warning and a skip."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    warnings.warn(reason, stacklevel=2)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def console_dist() -> Path:
    """The built console, which `make install` builds when Node.js 20+ is installed."""
    if not (console_package.DIST / "index.html").is_file():
        unavailable(
            "The console is not built (console/dist/index.html is missing): install Node.js 20 "
            "or newer and run `make install`."
        )
    return console_package.DIST


@pytest.fixture(scope="session")
def console_server(
    console_dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("console-server")
    server = ServerProcess(env=local_env(root / "data"), log_path=root / "server.log").start()
    yield server
    server.stop()


# Per module, not per session: Playwright's sync API keeps an asyncio loop running while it is
# open, and the other suites' tests in this worker call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing: run scripts/ensure-chromium (make test does).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Console:
    """One browser tab on the console, at one viewport, collecting what its console logs."""

    page: Page
    test: str
    viewport: str
    errors: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    @property
    def width(self) -> int:
        return VIEWPORTS[self.viewport][0]

    def open(self, path: str = "/") -> None:
        self.page.goto(f"/console{path}")

    def shot(self, screen: str, *, full_page: bool = True) -> None:
        """Save this screen, and check that nothing is wider than the viewport.

        A modal dialog is shot as the viewport shows it (`full_page=False`): its backdrop covers
        the viewport only.
        """
        SCREENSHOTS.mkdir(exist_ok=True)
        # A full-page shot resizes the viewport for a moment, which can leave a tall page
        # scrolled elsewhere than where Chromium aims its clicks: scrolling back realigns them.
        scrolled = self.page.evaluate("[scrollX, scrollY]")
        self.page.screenshot(
            path=SCREENSHOTS / f"{self.test}-{screen}-{self.viewport}.png", full_page=full_page
        )
        self.page.evaluate("([x, y]) => scrollTo(x, y)", scrolled)
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= self.width, f"{screen} scrolls sideways: {scroll_width} px wide"

    def expect_http_errors(self, *statuses: int) -> None:
        """The test provokes these API answers; Chromium logs each as a failed resource."""
        self.expected_statuses.update(statuses)

    def log(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        status = HTTP_ERROR.search(message.text)
        if status and int(status.group(1)) in self.expected_statuses:
            return
        self.errors.append(message.text)


@pytest.fixture(params=list(VIEWPORTS))
def console(
    request: pytest.FixtureRequest, browser: Browser, console_server: ServerProcess
) -> Iterator[Console]:
    width, height = VIEWPORTS[request.param]
    zone = request.node.get_closest_marker("timezone")
    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=console_server.url,
        permissions=["clipboard-read", "clipboard-write"],
        timezone_id=zone.args[0] if zone else None,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    test_name = request.node.originalname.removeprefix("test_").replace("_", "-")
    tab = Console(page, test_name, request.param)
    page.on("console", tab.log)
    page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    yield tab
    context.close()
    assert tab.errors == [], f"the browser console logged errors: {tab.errors}"
