"""An operator sees how each file was read, previews a file before sending it, and names the
columns of a file that no rule read."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Console
from tests.browser.test_journey import create_application, sign_up


def vienna_export(folder: Path) -> Path:
    """A portal's quarter hours as Excel saves them in Austria: Windows-1252, `;`, commas."""
    lines = ["Zählpunkt;Datum;Zeit von;Verbrauch [kWh];Qualität"]
    for quarter in range(96):
        kwh = f"{0.1 + quarter / 1000:.3f}".replace(".", ",")
        clock = f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"
        lines.append(f"AT0010000000000000001000012345678;01.04.2025;{clock};{kwh};gemessen")
    path = folder / "Verbrauch_April.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def two_channel_logger(folder: Path) -> Path:
    """A logger's file of two channels named in words no rule knows."""
    lines = ["Kanal;Zeitmarke;Wert A;Wert B"]
    lines += [f"G-7;2025-06-01 {hour:02d}:00;{100 + hour};{hour}" for hour in range(24)]
    path = folder / "logger.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def open_upload(console: Console) -> None:
    sign_up(console)
    create_application(console.page)
    console.page.get_by_role("link", name="Upload", exact=True).click()


def choose_options(console: Console, zone: str) -> None:
    page = console.page
    page.get_by_text("Options").click()
    page.get_by_label("Time zone").fill(zone)


def test_a_preview_then_the_upload_say_how_the_file_was_read(
    console: Console, tmp_path: Path
) -> None:
    page = console.page
    open_upload(console)
    page.get_by_label("CSV files", exact=True).set_input_files(vienna_export(tmp_path))
    choose_options(console, "Europe/Vienna")

    page.get_by_role("button", name="Preview").click()

    previews = page.get_by_role("list", name="Previews")
    expect(previews.get_by_text("96 of 96 rows would be read.")).to_be_visible()
    read_as = (
        "Read as: Windows-1252, semicolon-separated, decimal comma, day first, Europe/Vienna, "
        "15-minute interval starts (header on line 1)"
    )
    expect(previews.get_by_text(read_as)).to_be_visible()
    expect(
        previews.get_by_role("cell", name="AT0010000000000000001000012345678").first
    ).to_be_visible()
    expect(
        previews.get_by_text("Meters: AT0010000000000000001000012345678 (96 readings)")
    ).to_be_visible()
    console.shot("preview")

    page.get_by_role("button", name="Upload file").click()

    sent = page.get_by_role("list", name="Uploaded files")
    expect(sent.get_by_text("96 of 96 rows accepted")).to_be_visible()
    expect(sent.get_by_text(read_as)).to_be_visible()
    sent.get_by_text("Columns").click()
    expect(sent.get_by_text("Verbrauch [kWh]: value in kWh, energy")).to_be_visible()
    expect(sent.get_by_text("Zählpunkt: meter")).to_be_visible()
    expect(previews).to_have_count(0)
    console.shot("read-as")


def test_a_file_that_failed_is_sent_again_with_its_columns_named(
    console: Console, tmp_path: Path
) -> None:
    page = console.page
    open_upload(console)
    page.get_by_label("CSV files", exact=True).set_input_files(two_channel_logger(tmp_path))
    page.get_by_role("button", name="Upload file").click()
    sent = page.get_by_role("list", name="Uploaded files")
    expect(sent.get_by_text("without saying which is which")).to_be_visible()

    page.get_by_role("button", name="Name its columns and send it again").click()
    mapping = page.get_by_role("form", name="Column mapping")
    mapping.get_by_label("Time (or the date)").select_option("Zeitmarke")
    mapping.get_by_label("Value", exact=True).select_option("Wert A")
    mapping.get_by_label("Meter", exact=True).select_option("Kanal")
    mapping.get_by_label("Unit").select_option("Wh")
    console.shot("column-mapping")
    mapping.get_by_role("button", name="Send again with this mapping").click()

    expect(sent.get_by_text("24 of 24 rows accepted")).to_be_visible()
    expect(sent.get_by_text("Read as: your column mapping").first).to_be_visible()
    console.shot("mapped")
