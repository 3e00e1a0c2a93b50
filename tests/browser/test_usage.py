"""The usage page: meters, a date range and an interval; a chart with the threshold, a table."""

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Route, expect

from tests.browser.conftest import Console
from tests.browser.files import north_csv, south_csv
from tests.browser.test_journey import create_application, sign_up
from tests.support import ServerProcess

SUMMARY_ROUTE = "/app/{app_id}/usage/summary"
METERS = {
    "items": [
        {
            "meter_id": "north-7",
            "first_timestamp": "2025-03-03T00:00:00Z",
            "last_timestamp": "2025-03-09T23:45:00Z",
        }
    ],
    "next_cursor": None,
}


def day_bucket(day: int, kwh: float, max_kwh: float | None, readings: int) -> dict[str, object]:
    return {
        "start": f"2025-03-{day:02d}T00:00:00+00:00",
        "end": f"2025-03-{day + 1:02d}T00:00:00+00:00",
        "kwh": kwh,
        "max_kwh": max_kwh,
        "readings": readings,
    }


SUMMARY = {
    "interval": "day",
    "timezone": "UTC",
    "meter_id": None,
    "start": "2025-03-03T00:00:00+00:00",
    "end": "2025-03-10T00:00:00+00:00",
    "total_kwh": 60.5,
    "buckets": [
        day_bucket(3, 20.25, 6.1, 96),
        day_bucket(4, 0, None, 0),
        *(day_bucket(day, 8.05, 0.4, 96) for day in range(5, 10)),
    ],
}


def answer(body: object) -> Callable[[Route], None]:
    def fulfil(route: Route) -> None:
        route.fulfill(json=body)

    return fulfil


def test_usage_page_draws_a_summary_as_the_api_shapes_it(console: Console) -> None:
    """The page alone, on summaries and meters answered by the test in the API's shape."""
    page = console.page
    page.route("**/meters?*", answer(METERS))
    page.route("**/usage/summary?*", answer(SUMMARY))
    sign_up(console)
    create_application(page)
    page.get_by_role("link", name="Usage").click()
    expect(page.get_by_label("Meter").locator("option")).to_have_text(["All meters (1)", "north-7"])
    expect(page.get_by_text("Total 60.5 kWh for all meters")).to_be_visible()
    expect(page.locator(".chart canvas")).to_be_visible()
    expect(page.locator(".chart").get_by_text("Threshold")).to_be_visible()
    rows = page.locator("table.numbers tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(1).locator("td")).to_have_text(["Mar 4, 2025", "0", "—", "0"])
    console.shot("usage-answered")


def test_usage_chart_and_table(
    console: Console, console_server: ServerProcess, tmp_path: Path
) -> None:
    paths = httpx.get(f"{console_server.url}/openapi.json").json()["paths"]
    if SUMMARY_ROUTE not in paths:
        pytest.skip("the server has no GET /usage/summary yet")
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
    page.get_by_label("Interval").select_option("hour")
    expect(rows).to_have_count(100)
    expect(page.get_by_role("button", name="Show 68 more of 68 remaining")).to_be_visible()
    console.shot("usage-hours")

    page.get_by_label("To (inclusive)").fill("2025-03-01")
    expect(page.get_by_role("alert")).to_be_visible()
    console.shot("usage-refused")
