"""A file with many bad rows: every problem can be downloaded, and sending it again says so."""

import csv
import io
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Console
from tests.browser.test_journey import create_application, sign_up


def smart_meter_texas_export(folder: Path) -> Path:
    """Smart Meter Texas 15-minute intervals, where a gateway lost 30 readings to `-`."""
    lines = [
        "ESIID,USAGE_DATE,REVISION_DATE,USAGE_START_TIME,USAGE_END_TIME,USAGE_KWH,ESTIMATED_ACTUAL,CONSUMPTION_SURPLUSGENERATION"
    ]
    for quarter in range(96):
        start, end = quarter * 15, quarter * 15 + 15
        kwh = "-" if 20 <= quarter < 50 else f".{quarter % 9 + 1}"
        lines.append(
            f"'10443720000000001,07/01/2025,07/02/2025 09:14:00,{start // 60:02d}:{start % 60:02d},"
            f"{end // 60 % 24:02d}:{end % 60:02d},{kwh},A,Consumption"
        )
    path = folder / "IntervalData.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_every_problem_downloads_and_a_repeat_is_named(console: Console, tmp_path: Path) -> None:
    page = console.page
    sign_up(console)
    create_application(page)
    page.get_by_role("link", name="Upload", exact=True).click()
    page.get_by_label("CSV files", exact=True).set_input_files(smart_meter_texas_export(tmp_path))
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("66 of 96 rows accepted, 30 rejected")).to_be_visible()
    expect(page.get_by_text("…and 20 more.")).to_be_visible()
    console.shot("many-problems")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download every problem (CSV)").click()
    saved = Path(downloading.value.path()).read_text()
    rows = list(csv.reader(io.StringIO(saved)))
    assert rows[0] == ["line", "error"]
    assert [line for line, _ in rows[1:]] == [str(n) for n in range(22, 52)]
    assert {error for _, error in rows[1:]} == {"Missing value."}

    page.get_by_label("CSV files", exact=True).set_input_files(smart_meter_texas_export(tmp_path))
    page.get_by_role("button", name="Upload file").click()
    expect(
        page.get_by_text("The same file with the same options was read recently")
    ).to_be_visible()
    console.shot("repeated-file")
