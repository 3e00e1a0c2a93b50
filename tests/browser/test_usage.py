"""The usage page: meters, a date range and an interval; a chart with the threshold, a table."""

from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Console
from tests.browser.files import north_csv, south_csv
from tests.browser.test_journey import create_application, sign_up
from tests.support import ServerProcess


def test_usage_chart_and_table(
    console: Console, console_server: ServerProcess, tmp_path: Path
) -> None:
    page = console.page
    console.expect_http_errors(422)
    sign_up(console)
    create_application(page)
    app_id = page.url.split("/apps/")[1].split("/")[0]
    token = page.evaluate("sessionStorage.getItem('wattkey.token')")
    files = [
        ("files", (path.name, path.read_bytes(), "text/csv"))
        for path in (north_csv(tmp_path), south_csv(tmp_path))
    ]
    uploaded = httpx.post(
        f"{console_server.url}/app/{app_id}/uploads",
        headers={"Authorization": f"Bearer {token}"},
        files=files,
        timeout=60,
    )
    assert uploaded.status_code == 201, uploaded.text

    page.get_by_role("link", name="Usage").click()
    meter = page.get_by_label("Meter")
    expect(meter.locator("option")).to_have_text(["All meters (2)", "north-7", "south-1"])
    expect(page.get_by_label("From")).to_have_value("2025-03-03")
    expect(page.get_by_label("To (inclusive)")).to_have_value("2025-03-09")
    expect(page.locator(".chart canvas")).to_be_visible()
    expect(page.locator(".chart").get_by_text("Threshold")).to_be_visible()
    rows = page.locator("table.numbers tbody tr")
    expect(rows).to_have_count(7)
    expect(page.get_by_text("for all meters")).to_be_visible()
    console.shot("usage")

    meter.select_option("north-7")
    expect(page.get_by_text("for north-7")).to_be_visible()
    page.get_by_label("To (inclusive)").fill("2025-03-10")
    expect(rows).to_have_count(8)
    expect(rows.nth(7).locator("td")).to_have_text(["Mar 10, 2025", "0", "—", "0"])
    page.get_by_label("Interval").select_option("hour")
    expect(rows).to_have_count(100)
    page.get_by_role("button", name="Show the last 92").click()
    expect(rows).to_have_count(192)
    console.shot("usage-hours", full_page=False)

    page.get_by_label("To (inclusive)").fill("2025-03-01")
    expect(page.get_by_role("alert")).to_be_visible()
    console.shot("usage-refused")
