"""The main flow with the keyboard alone: no click, no fill, only keys."""

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Console
from tests.browser.files import north_csv, south_csv
from tests.support import unique_email

MAX_TABS = 40


def tab_to(page: Page, target: Locator, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} never got the focus with the keyboard")


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def test_keyboard_only(console: Console, tmp_path: Path) -> None:
    page = console.page
    console.open("/")
    tab_to(page, page.get_by_role("link", name="Create an account"))
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Email", exact=True), unique_email())
    type_into(page, page.get_by_label("Password"), "correct horse battery")
    page.keyboard.press("Enter")

    type_into(page, page.get_by_label("Name", exact=True), "Keyboard Meters")
    type_into(page, page.get_by_label("Application id"), "keyboard-meters")
    type_into(page, page.get_by_label("Contact email"), "ops@example.com")
    type_into(page, page.get_by_label("Domain"), "example.com")
    type_into(page, page.get_by_label("Threshold (kWh per reading)"), "5")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Keyboard Meters")).to_be_visible()

    type_into(page, page.get_by_label("Key name"), "gateway")
    page.keyboard.press("Enter")
    expect(page.get_by_label("API key secret")).to_have_value(re.compile(r"^sk_.+"))
    console.shot("key-created")
    tab_to(page, page.get_by_role("button", name="I have copied it"))
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_role("link", name="Upload", exact=True), backwards=True)
    page.keyboard.press("Enter")
    # Waiting for the chooser from before the focus moves: Playwright intercepts it only once
    # its subscription reached the browser, which can be after an immediate key press.
    with page.expect_file_chooser() as chooser:
        tab_to(page, page.get_by_label("CSV files", exact=True))
        page.keyboard.press("Space")
    chooser.value.set_files([north_csv(tmp_path), south_csv(tmp_path)])
    tab_to(page, page.get_by_role("button", name="Upload 2 files"))
    page.keyboard.press("Enter")
    sent = page.get_by_role("list", name="Uploaded files")
    expect(sent.get_by_text("completed")).to_have_count(2)
    console.shot("uploaded")

    tab_to(page, page.get_by_role("link", name="API keys"), backwards=True)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Revoke key gateway"))
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Revoke key")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()

    tab_to(page, page.get_by_role("button", name="Log out"), backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
