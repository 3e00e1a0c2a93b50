"""A new operator, from sign-up to a revoked key, on a laptop and on a phone."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console
from tests.browser.files import north_csv, south_csv
from tests.support import unique_email

PASSWORD = "correct horse battery"


def sign_up(console: Console) -> str:
    page = console.page
    email = unique_email()
    console.open("/")
    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
    console.shot("sign-in")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    console.shot("sign-up")
    page.get_by_role("button", name="Create account").click()
    return email


def create_application(page: Page, console: Console | None = None) -> None:
    expect(page.get_by_role("heading", name="New application")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Meters North")
    page.get_by_label("Application id").fill("meters-north")
    page.get_by_label("Contact email").fill("ops@example.com")
    page.get_by_label("Domain").fill("example.com")
    page.get_by_label("Threshold (kWh per reading)").fill("5")
    page.get_by_label("Alert emails").fill("alerts@example.com")
    if console:
        console.shot("new-application")
    page.get_by_role("button", name="Create application").click()
    expect(page.get_by_role("heading", name="Meters North")).to_be_visible()


def create_key(console: Console) -> str:
    page = console.page
    expect(page.get_by_text("This application has no keys yet.")).to_be_visible()
    console.shot("keys-empty")
    page.get_by_label("Key name").fill("gateway")
    page.get_by_role("button", name="Create API key").click()
    secret = page.get_by_label("API key secret").input_value()
    assert secret.startswith("sk_")
    expect(page.get_by_text("this is the only time Wattkey shows it")).to_be_visible()
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("button", name="Copied", exact=True)).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    console.shot("key-created")
    page.reload()
    expect(page.get_by_role("cell", name=f"{secret[:12]}…")).to_be_visible()
    expect(page.get_by_label("API key secret")).to_have_count(0)
    assert secret not in page.content()
    console.shot("keys")
    return secret


def upload_two_files(console: Console, folder: Path) -> None:
    page = console.page
    page.get_by_role("link", name="Upload", exact=True).click()
    files = [north_csv(folder), south_csv(folder)]
    page.get_by_label("CSV files", exact=True).set_input_files(files)
    console.shot("upload-chosen")
    # Slow the connection down so that the progress bars are there to be seen.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    slow = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 12_000}
    network.send("Network.emulateNetworkConditions", slow)
    page.get_by_role("button", name="Upload 2 files").click()
    expect(page.get_by_role("progressbar", name="Sending north.csv")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Sending south.csv")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^[1-9]\d?%$")).first).to_be_visible()
    console.shot("upload-sending")
    network.send("Network.emulateNetworkConditions", {**slow, "uploadThroughput": -1})
    sent = page.get_by_role("list", name="Uploaded files")
    expect(sent.get_by_text("completed")).to_have_count(2)
    expect(sent.get_by_text("671 of 672 rows accepted, 1 rejected")).to_be_visible()
    expect(sent.get_by_text("Line 5:")).to_be_visible()
    expect(sent.get_by_text("168 of 168 rows accepted")).to_be_visible()
    console.shot("upload-reports")


def see_usage(console: Console) -> None:
    page = console.page
    page.get_by_role("link", name="Usage").click()
    expect(page.locator(".chart canvas")).to_be_visible()
    expect(page.locator(".chart").get_by_text("Threshold")).to_be_visible()
    expect(page.locator("table.numbers tbody tr")).to_have_count(7)
    console.shot("usage")


def see_uploads_and_alert(console: Console) -> None:
    page = console.page
    page.get_by_role("link", name="Uploads", exact=True).click()
    names = page.locator(".report-list .file-name strong")
    expect(names).to_have_count(2)
    console.shot("uploads")
    page.get_by_role("link", name="alert", exact=True).click()
    expect(page.get_by_role("heading", name="Alerts, newest first")).to_be_visible()
    alert = page.locator(".alert").first
    expect(alert.get_by_text("Breaches")).to_be_visible()
    expect(alert.get_by_text("6.1 kWh")).to_be_visible()
    expect(alert.get_by_text("5 kWh", exact=True)).to_be_visible()
    expect(alert.get_by_text("log", exact=True)).to_be_visible()
    expect(alert.get_by_text("alerts@example.com")).to_be_visible()
    console.shot("alerts")


def revoke_key(console: Console) -> None:
    page = console.page
    page.get_by_role("link", name="API keys").click()
    page.get_by_role("button", name="Revoke key gateway").click()
    dialog = page.get_by_role("dialog", name="Revoke key “gateway”?")
    expect(dialog).to_be_visible()
    console.shot("revoke-confirm", full_page=False)
    dialog.get_by_role("button", name="Revoke key").click()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Revoke key gateway")).to_have_count(0)
    console.shot("keys-revoked")


def test_new_operator_journey(console: Console, tmp_path: Path) -> None:
    page = console.page
    email = sign_up(console)
    create_application(page, console)
    expect(page.get_by_text(email)).to_be_visible()
    create_key(console)
    upload_two_files(console, tmp_path)
    see_usage(console)
    see_uploads_and_alert(console)
    revoke_key(console)
    page.get_by_role("link", name="Applications").click()
    expect(page.get_by_role("link", name="Meters North")).to_be_visible()
    console.shot("applications")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("sessionStorage.getItem('wattkey.token')") is None
