"""How a file was read, as a client sees it: the report's layout, a dry run that stores
nothing, and a failed file's columns offered to the mapping that reads it."""

import json
from typing import Any

import httpx

from tests.e2e.conftest import Tenant

# A portal's export as Excel saves it in Western Europe: Windows-1252, `;`, decimal commas.
VIENNA = (
    "Zählpunkt;Datum;Zeit von;Verbrauch [kWh];Qualität\r\n"
    "AT0010000000000000001000012345678;31.03.2025;00:00;0,213;gemessen\r\n"
    "AT0010000000000000001000012345678;31.03.2025;00:15;0,198;gemessen\r\n"
    "AT0010000000000000001000012345678;31.03.2025;00:30;1.234,5;gemessen\r\n"
).encode("cp1252")
# Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated.
UNICODE_TEXT = "\ufeffmeter\tdate\tkWh\r\nm-1\t2025-01-13\t1.5\r\nm-1\t2025-01-14\t2.5\r\n".encode(
    "utf-16-le"
)
# Column names no vocabulary knows: a gateway's own.
UNKNOWN = b"Kanal,Zeitmarke,Messwert\nG-7,2025-06-01 00:00,12\nG-7,2025-06-01 01:00,14\n"


def upload(client: httpx.Client, name: str, body: bytes, **fields: str) -> httpx.Response:
    return client.post("/uploads", files=[("files", (name, body, "text/csv"))], data=fields)


def only(response: httpx.Response, key: str = "uploads") -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    (report,) = response.json()[key]
    found: dict[str, Any] = report
    return found


def test_the_report_says_how_a_windows_1252_portal_export_was_read(tenant: Tenant) -> None:
    report = only(upload(tenant.machine, "wien.csv", VIENNA, timezone="Europe/Vienna"))

    layout = report["layout"]
    assert report["rows_accepted"] == 3
    assert {key: layout[key] for key in ("family", "encoding", "delimiter", "decimal")} == {
        "family": "long",
        "encoding": "windows-1252",
        "delimiter": ";",
        "decimal": ",",
    }
    assert layout["date_order"] == "dmy"
    assert (layout["timezone"], layout["timezone_source"]) == ("Europe/Vienna", "upload")
    assert layout["header_line"] == 1
    assert layout["timestamps"] == "start"
    assert layout["interval_minutes"] == 15
    roles = {column["name"]: column["role"] for column in layout["columns"]}
    assert roles == {
        "Zählpunkt": "meter",
        "Datum": "date",
        "Zeit von": "clock",
        "Verbrauch [kWh]": "value",
        "Qualität": "ignored",
    }
    value = next(c for c in layout["columns"] if c["role"] == "value")
    assert (value["unit"], value["kind"], value["channel"]) == ("kWh", "energy", "")
    usage = tenant.machine.get("/usage", params={"limit": 10}).json()["items"]
    assert [item["kwh"] for item in usage] == [0.213, 0.198, 1234.5]
    kept = tenant.machine.get(f"/uploads/{report['upload_id']}").json()
    assert kept["layout"] == layout


def test_excel_unicode_text_is_read(tenant: Tenant) -> None:
    report = only(upload(tenant.machine, "unicode.txt", UNICODE_TEXT))

    assert report["status"] == "completed"
    assert report["rows_accepted"] == 2
    assert (report["layout"]["encoding"], report["layout"]["delimiter"]) == ("utf-16le", "\t")
    assert report["layout"]["date_order"] == "ymd"


def test_a_file_of_unknown_words_is_read_by_its_values_and_says_so(tenant: Tenant) -> None:
    report = only(upload(tenant.machine, "gateway.csv", UNKNOWN))

    assert report["rows_accepted"] == 2
    notices = report["layout"]["notices"]
    assert any("judged by their values" in notice for notice in notices), notices
    assert any("read as kWh" in notice for notice in notices), notices
    roles = [column["role"] for column in report["layout"]["columns"]]
    assert roles == ["meter", "time", "value"]


def test_a_dry_run_reads_files_and_keeps_nothing(tenant: Tenant) -> None:
    hot = {"threshold_kwh": "0.1", "timezone": "Europe/Vienna", "dry_run": "true"}

    response = upload(tenant.machine, "wien.csv", VIENNA, **hot)

    assert response.status_code == 200, response.text
    preview = only(response, "previews")
    assert preview["filename"] == "wien.csv"
    assert preview["status"] == "completed"
    assert (preview["rows_total"], preview["rows_accepted"], preview["rows_rejected"]) == (3, 3, 0)
    assert preview["meters"] == [
        {
            "meter_id": "AT0010000000000000001000012345678",
            "readings": 3,
            "first_timestamp": "2025-03-30T22:00:00Z",
            "last_timestamp": "2025-03-30T22:30:00Z",
        }
    ]
    assert [reading["kwh"] for reading in preview["sample"]] == [0.213, 0.198, 1234.5]
    assert preview["layout"]["encoding"] == "windows-1252"
    assert tenant.machine.get("/uploads").json()["items"] == []
    assert tenant.machine.get("/usage").json()["items"] == []
    assert tenant.machine.get("/meters").json()["items"] == []
    assert tenant.machine.get("/alerts").json()["items"] == []


def test_a_dry_run_leaves_no_idempotency_record_and_no_repeat(tenant: Tenant) -> None:
    headers = {"Idempotency-Key": "dry-then-real"}
    first = tenant.machine.post(
        "/uploads",
        params={"dry_run": "true"},
        content=VIENNA,
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert first.status_code == 200, first.text

    real = tenant.machine.post(
        "/uploads", content=VIENNA, headers={**headers, "Content-Type": "text/csv"}
    )

    assert real.status_code == 201, real.text
    assert "Idempotent-Replayed" not in real.headers
    (report,) = real.json()["uploads"]
    assert report["duplicate_of"] is None
    assert report["rows_accepted"] == 3


def test_the_operator_previews_a_file_for_an_application(tenant: Tenant) -> None:
    app_id = tenant.app["id"]
    response = tenant.operator.client.post(
        f"/app/{app_id}/uploads",
        files=[("files", ("gateway.csv", UNKNOWN, "text/csv"))],
        data={"dry_run": "true"},
    )

    preview = only(response, "previews")
    assert preview["rows_accepted"] == 2
    assert tenant.operator.client.get(f"/app/{app_id}/uploads").json()["items"] == []


def test_a_failed_file_offers_its_columns_and_a_mapping_reads_it(tenant: Tenant) -> None:
    words = b"Kanal;Zeitmarke;Wert A;Wert B\nG-7;2025-06-01 00:00;12;3\nG-7;2025-06-01 01:00;14;4\n"

    failed = only(upload(tenant.machine, "two.csv", words))

    assert failed["status"] == "failed"
    assert "without saying which is which" in failed["errors"][0]["error"]
    names = [column["name"] for column in failed["layout"]["columns"]]
    assert names == ["Kanal", "Zeitmarke", "Wert A", "Wert B"]
    mapping = {"time": "Zeitmarke", "usage": "Wert A", "meter": "Kanal", "unit": "Wh"}

    mapped = only(upload(tenant.machine, "two.csv", words, columns=json.dumps(mapping)))

    assert mapped["status"] == "completed"
    assert mapped["layout"]["family"] == "mapped"
    usage = tenant.machine.get("/usage").json()["items"]
    assert [(item["meter_id"], item["kwh"]) for item in usage] == [("G-7", 0.012), ("G-7", 0.014)]
