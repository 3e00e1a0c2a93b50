"""A key that may only read usage, with a rate limit and a quota: its use against them after a
few requests, its rotation with the default grace, and the audit log's sentences of it all."""

import json
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Console
from tests.support import Operator, ServerProcess, machine

ZONE = "America/New_York"
TERMS = "may read usage, uploads and meters; 100 requests an hour; 10,000 requests a month"


def shown(iso: str) -> str:
    """A time as the console writes it (en-US, medium date, short time) in the browser's zone."""
    at = datetime.fromisoformat(iso).astimezone(ZoneInfo(ZONE))
    return f"{at:%b} {at.day}, {at.year}, {at.hour % 12 or 12}:{at:%M} {at:%p}"


def key_row(page: Page, prefix: str) -> Locator:
    return page.get_by_role("row").filter(has_text=f"{prefix}…")


def cell(row: Locator, label: str) -> Locator:
    return row.locator(f'td[data-label="{label}"]')


def a_whole_hour_window() -> None:
    """The rate limit's windows are UTC hours: the requests and the reload share one."""
    left = 3600 - time.time() % 3600
    if left < 60:
        time.sleep(left + 1)


def create_limited_key(console: Console) -> str:
    page = console.page
    page.get_by_label("Key name").fill("gateway")
    expires = page.get_by_label("Expires on")
    expires.fill("2001-01-01")
    page.get_by_role("button", name="Create API key").click()
    expect(expires).to_have_attribute("aria-invalid", "true")
    expect(expires).to_have_accessible_description(re.compile("expires_at must be in the future"))
    expires.fill("")
    for scope in ("Send files", "Read usage", "Read alerts"):
        expect(page.get_by_label(scope)).to_be_checked()
        page.get_by_label(scope).uncheck()
    page.get_by_role("button", name="Create API key").click()
    expect(page.get_by_role("alert")).to_have_text("Choose at least one thing the key may do.")
    page.get_by_label("Read usage").check()
    page.get_by_label("Rate limit (requests)").fill("100")
    expect(page.get_by_label("Per", exact=True)).to_have_value("1")
    page.get_by_label("Unit").select_option("hours")
    page.get_by_label("Quota (requests)").fill("10000")
    expect(page.get_by_label("Quota period")).to_have_value("month")
    console.shot("key-terms")
    page.get_by_role("button", name="Create API key").click()
    secret = page.get_by_label("API key secret").input_value()
    assert secret.startswith("sk_")
    page.get_by_role("button", name="I have copied it").click()
    return secret


@pytest.mark.timezone(ZONE)
def test_a_limited_key_is_used_rotated_and_audited(
    console: Console, console_server: ServerProcess
) -> None:
    page = console.page
    console.expect_http_errors(422)
    operator = Operator.register(console_server.url)
    app_id = operator.create_app()["id"]
    page.add_init_script(f"sessionStorage.setItem('wattkey.token', {json.dumps(operator.token)})")
    console.open(f"/apps/{app_id}/keys")

    secret = create_limited_key(console)
    old = secret[:12]
    row = key_row(page, old)
    expect(cell(row, "Scopes")).to_have_text("Read usage")
    expect(cell(row, "Limits").get_by_role("listitem")).to_have_text(
        [re.compile(r"^0 of 100 this hour; resets in \d+ min$"), "0 of 10,000 this month"]
    )

    a_whole_hour_window()
    with machine(console_server.url, secret) as client:
        for _ in range(3):
            assert client.get("/meters").status_code == 200
    page.reload()
    expect(cell(row, "Limits").get_by_role("listitem")).to_have_text(
        [re.compile(r"^3 of 100 this hour; resets in \d+ min$"), "3 of 10,000 this month"]
    )
    expect(cell(row, "Last used")).not_to_have_text("never")
    console.shot("key-used")

    page.get_by_role("button", name="Rotate key gateway").click()
    dialog = page.get_by_role("dialog", name="Rotate key “gateway”?")
    expect(dialog.get_by_label("The old key stops").locator("option:checked")).to_have_text(
        "in 1 hour"
    )
    console.shot("rotate-confirm", full_page=False)
    dialog.get_by_role("button", name="Rotate key").click()
    field = page.get_by_label("API key secret")
    expect(field).to_have_value(re.compile(r"^sk_"))
    expect(field).not_to_have_value(secret)
    expect(field).to_be_focused()
    rotated = field.input_value()
    new = rotated[:12]
    listed = operator.client.get(f"/app/{app_id}/api-keys").json()
    stops = shown(next(key["expires_at"] for key in listed if key["prefix"] == old))
    expect(page.get_by_text(f"The old key {old}… keeps working until {stops}")).to_be_visible()
    console.shot("rotated")

    page.reload()
    expect(page.get_by_label("API key secret")).to_have_count(0)
    assert rotated not in page.content()
    expect(cell(row, "Expires")).to_have_text(stops)
    expect(cell(row, "Status")).to_have_text("Active")
    successor = key_row(page, new)
    expect(cell(successor, "Expires")).to_have_text("never")
    expect(cell(successor, "Scopes")).to_have_text("Read usage")
    expect(cell(successor, "Limits").get_by_role("listitem")).to_have_text(
        [re.compile(r"^0 of 100 this hour"), "0 of 10,000 this month"]
    )
    console.shot("keys-rotated")

    operator.client.patch(f"/app/{app_id}", json={"threshold_kwh": 7})
    page.get_by_role("link", name="Audit log").click()
    events = page.get_by_role("list", name="Audit log, newest first").get_by_role("listitem")
    expect(events.locator("p")).to_have_text(
        [
            "You changed threshold_kwh",
            f"You rotated key “gateway” ({old}…) to {new}… — the old one stops in 1 hour",
            f"You created key “gateway” ({new}…) — {TERMS}",
            f"You created key “gateway” ({old}…) — {TERMS}",
            "You created the application “Meters North”",
        ]
    )
    logged = operator.client.get(f"/app/{app_id}/audit").json()["items"]
    expect(events.locator("time")).to_have_text([shown(event["at"]) for event in logged])
    console.shot("audit")
