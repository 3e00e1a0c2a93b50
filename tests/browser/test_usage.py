"""The usage page: meters, a date range and an interval; a chart with the threshold, a table;
a solar home's consumption, export and net apart."""

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Console
from tests.browser.files import green_button_csv, north_csv, south_csv
from tests.browser.test_journey import create_application, sign_up
from tests.support import Operator, ServerProcess, machine


def kwh(value: float) -> str:
    """As the console writes an energy (en-US): 56.4 kWh, 72 kWh, -15.6 kWh."""
    return f"{value:.3f}".rstrip("0").rstrip(".") + " kWh"


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


@pytest.mark.timezone("Europe/Berlin")
def test_a_solar_home_sees_consumption_export_and_net_apart(
    console: Console, console_server: ServerProcess, tmp_path: Path
) -> None:
    page = console.page
    operator = Operator.register(console_server.url)
    app_id = operator.create_app()["id"]
    path, imported, exported = green_button_csv(tmp_path)
    with machine(console_server.url, operator.create_key(app_id)) as client:
        sent = client.post(
            "/uploads",
            files={"files": (path.name, path.read_bytes(), "text/csv")},
            data={"meter_id": "home", "timezone": "Europe/Berlin"},
        )
    assert sent.status_code == 201, sent.text
    page.add_init_script(f"sessionStorage.setItem('wattkey.token', {json.dumps(operator.token)})")

    console.open(f"/apps/{app_id}/usage")

    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(page.get_by_label("Meter").locator("option")).to_have_text(
        ["All meters (1)", "home", "home:export"]
    )
    expect(page.get_by_role("term")).to_have_text(["Consumption", "Export", "Net from the grid"])
    net = imported - exported
    assert net < 0  # a sunny June: more went out than came in
    expect(page.get_by_role("definition")).to_have_text([kwh(imported), kwh(exported), kwh(net)])
    expect(
        page.get_by_text(f"{kwh(-net)} more went to the grid than came from it.")
    ).to_be_visible()
    expect(page.get_by_text(kwh(imported + exported))).to_have_count(0)
    rows = page.locator("table.numbers tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(6).locator("td").nth(1)).to_have_text(f"{imported / 3:g}")
    console.shot("solar-home")

    page.get_by_label("Meter").select_option("home:export")
    expect(page.get_by_role("term")).to_have_text(["Export"])
    expect(page.get_by_role("definition")).to_have_text([kwh(exported)])
    expect(page.get_by_text("For home:export")).to_be_visible()
    expect(page.locator(".chart").get_by_text("Export")).to_be_visible()
    expect(rows.nth(6).locator("td").nth(1)).to_have_text(f"{exported / 3:g}")
    console.shot("solar-export")
