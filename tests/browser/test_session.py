"""The pages past sign-in need a session: signed out, a forged token or too many attempts, the
operator lands on sign-in with a sentence, and comes back to the page asked for."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console
from tests.support import Operator, ServerProcess

PASSWORD = "correct horse"  # Operator.register's
REFUSED_TOKEN = "The access token is missing, invalid, expired or logged out; sign in again."


def log_in(page: Page, email: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_deep_link_signed_out_opens_sign_in_then_that_page(
    console: Console, console_server: ServerProcess
) -> None:
    page = console.page
    operator = Operator.register(console_server.url)
    app_id = operator.create_app()["id"]

    console.open(f"/apps/{app_id}/usage?interval=hour")

    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/console/sign-in\?redirect="))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    console.shot("signed-out")
    log_in(page, operator.email)
    expect(page).to_have_url(re.compile(rf"/console/apps/{app_id}/usage\?interval=hour$"))
    expect(page.get_by_role("link", name="Usage")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("No readings yet.")).to_be_visible()
    expect(page.get_by_text(operator.email)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    expect(page.get_by_role("status")).to_have_count(0)


def test_a_forged_token_lands_on_sign_in_with_a_sentence(
    console: Console, console_server: ServerProcess
) -> None:
    page = console.page
    console.expect_http_errors(401)
    operator = Operator.register(console_server.url)
    app_id = operator.create_app()["id"]
    console.open("/sign-in")
    page.evaluate("sessionStorage.setItem('wattkey.token', 'forged.or.expired')")

    console.open(f"/apps/{app_id}/keys")

    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(REFUSED_TOKEN)
    assert page.evaluate("sessionStorage.getItem('wattkey.token')") is None
    console.shot("token-refused")
    log_in(page, operator.email)
    expect(page).to_have_url(re.compile(rf"/console/apps/{app_id}/keys$"))
    expect(page.get_by_text("This application has no keys yet.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)


def test_too_many_sign_ins_say_from_when_to_try_again(
    console: Console, console_server: ServerProcess
) -> None:
    page = console.page
    console.expect_http_errors(429)
    operator = Operator.register(console_server.url)
    credentials = {"email": operator.email, "password": PASSWORD}
    with httpx.Client(base_url=console_server.url, timeout=60) as client:
        # The server takes ten sign-ins for one email a minute.
        for _ in range(10):
            assert client.post("/auth/login", json=credentials).status_code == 200

    console.open("/sign-in")
    log_in(page, operator.email)

    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("Too many sign-in attempts for this email; try again in")
    expect(refusal).to_contain_text(re.compile(r"You can try again from \d{1,2}:\d\d:\d\d"))
    expect(page.get_by_role("heading", name="Log in to Wattkey")).to_be_visible()
    console.shot("rate-limited")
