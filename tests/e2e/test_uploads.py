"""Uploading CSV files as a machine client and as the operator; reports, objects, bad files."""

import hashlib
import json
from typing import Any

import httpx

from tests.e2e.backends import stored_object
from tests.e2e.conftest import Tenant
from tests.support import ServerProcess, completed_upload

GENERIC = (
    b"meter_id,timestamp,kwh\n"
    b"north-7,2025-01-01T00:00:00Z,0.42\n"
    b"north-7,2025-01-01T01:00:00Z,0.50\n"
)
SECOND = (
    b"Meter;Reading Time;Usage;Unit\r\n"
    b"south-1;2025-01-01 00:00;1500;Wh\r\n"
    b"south-1;2025-01-01 01:00;2,5;kWh\r\n"
)


def readings(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/usage", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_two_files_in_one_multipart_upload(server: ServerProcess, tenant: Tenant) -> None:
    response = tenant.machine.post(
        "/uploads",
        files=[
            ("files", ("north.csv", GENERIC, "text/csv")),
            ("files", ("south.csv", SECOND, "text/csv")),
        ],
    )
    assert response.status_code == 201, response.text
    north, south = response.json()["uploads"]
    assert north["status"] == south["status"] == "completed"
    assert (north["rows_total"], north["rows_accepted"], north["rows_rejected"]) == (2, 2, 0)
    assert south["rows_accepted"] == 2
    assert north["sha256"] == hashlib.sha256(GENERIC).hexdigest()
    assert north["size_bytes"] == len(GENERIC)
    assert north["object_key"] == f"uploads/{tenant.app['id']}/{north['upload_id']}/north.csv"
    assert north["created_at"].endswith("Z")
    assert north["completed_at"].endswith("Z")
    assert north["alert_id"] is None
    assert north["errors"] == []
    assert stored_object(server, north["object_key"]) == (GENERIC, north["sha256"])
    assert readings(tenant.machine, meter_id="south-1") == [
        {"meter_id": "south-1", "timestamp": "2025-01-01T00:00:00Z", "kwh": 1.5},
        {"meter_id": "south-1", "timestamp": "2025-01-01T01:00:00Z", "kwh": 2.5},
    ]


def test_raw_text_csv_body_with_query_options(tenant: Tenant) -> None:
    body = b"\xef\xbb\xbfDateTime,Energy\r\n2025-03-30 00:30,1\r\n2025-03-30 03:30,2\r\n"
    response = tenant.machine.post(
        "/uploads",
        params={
            "meter_id": "flat-3",
            "timezone": "Europe/Berlin",
            "filename": "../../etc/pass wd.csv",
        },
        content=body,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    (report,) = response.json()["uploads"]
    assert report["filename"] == "pass_wd.csv"
    assert report["rows_accepted"] == 2
    assert readings(tenant.machine, meter_id="flat-3") == [
        {"meter_id": "flat-3", "timestamp": "2025-03-29T23:30:00Z", "kwh": 1.0},
        {"meter_id": "flat-3", "timestamp": "2025-03-30T01:30:00Z", "kwh": 2.0},
    ]


def test_rejected_rows_have_lines_and_reasons(tenant: Tenant) -> None:
    body = (
        b"meter_id,timestamp,kwh\n"
        b"m1,2025-01-01T00:00:00Z,1\n"
        b"m1,yesterday,2\n"
        b"\n"
        b"m1,2025-01-01T02:00:00Z,lots\n"
    )
    report = tenant.machine.post("/uploads", files={"files": ("mixed.csv", body)}).json()[
        "uploads"
    ][0]
    assert report["status"] == "completed"
    assert (report["rows_total"], report["rows_accepted"], report["rows_rejected"]) == (3, 1, 2)
    assert [error["line"] for error in report["errors"]] == [3, 5]
    assert all(error["error"] for error in report["errors"])


def test_reupload_never_doubles(tenant: Tenant) -> None:
    for _ in range(2):
        assert (
            tenant.machine.post("/uploads", files={"files": ("a.csv", GENERIC)}).status_code == 201
        )
    assert len(readings(tenant.machine)) == 2
    changed = GENERIC.replace(b"0.42", b"0.99")
    tenant.machine.post("/uploads", files={"files": ("a.csv", changed)})
    assert [item["kwh"] for item in readings(tenant.machine)] == [0.99, 0.5]


def test_unreadable_files_fail_with_a_sentence(tenant: Tenant) -> None:
    cases = {
        "binary.csv": b"\x00\x01\x02PK\x03\x04" * 100,
        "no-header.csv": b"hello,world\n1,2\n",
        "empty.csv": b"",
        "no-meter.csv": b"timestamp,kwh\n2025-01-01,1\n",
    }
    files = [("files", (name, body)) for name, body in cases.items()]
    response = tenant.machine.post("/uploads", files=files)
    assert response.status_code == 201
    for report in response.json()["uploads"]:
        assert report["status"] == "failed", report
        assert report["errors"][0]["error"].endswith("."), report
        assert report["rows_accepted"] == 0


def test_bad_upload_requests(server: ServerProcess, tenant: Tenant) -> None:
    client = tenant.machine
    assert client.post("/uploads", json={"files": "x"}).status_code == 415
    assert client.post("/uploads", files={"attachment": ("a.csv", GENERIC)}).status_code == 422
    bad_zone = client.post(
        "/uploads", files={"files": ("a.csv", GENERIC)}, data={"timezone": "Mars/Base"}
    )
    assert bad_zone.status_code == 422
    assert "time zone" in bad_zone.json()["detail"]
    bad_threshold = client.post(
        "/uploads", files={"files": ("a.csv", GENERIC)}, data={"threshold_kwh": "x"}
    )
    assert bad_threshold.status_code == 422
    assert client.get("/uploads/up_missing").status_code == 404
    answer = client.get("/uploads", params={"cursor": "garbage"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "invalid_cursor"
    assert client.get("/uploads", params={"cursor": "garbage.tag"}).status_code == 400
    assert client.get("/uploads", params={"limit": 0}).status_code == 422
    assert (
        httpx.post(f"{server.url}/uploads", files={"files": ("a.csv", GENERIC)}).status_code == 401
    )


def test_listing_is_newest_first_and_paginated(tenant: Tenant) -> None:
    ids = [
        tenant.machine.post("/uploads", files={"files": (f"f{n}.csv", GENERIC)}).json()["uploads"][
            0
        ]["upload_id"]
        for n in range(3)
    ]
    first = tenant.machine.get("/uploads", params={"limit": 2}).json()
    assert [u["upload_id"] for u in first["items"]] == ids[::-1][:2]
    rest = tenant.machine.get(
        "/uploads", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [u["upload_id"] for u in rest["items"]] == ids[:1]
    assert rest["next_cursor"] is None
    single = tenant.machine.get(f"/uploads/{ids[1]}").json()
    assert single["filename"] == "f1.csv"


def test_operator_uploads_through_the_console_routes(tenant: Tenant) -> None:
    client = tenant.operator.client
    app_id = tenant.app["id"]
    response = client.post(f"/app/{app_id}/uploads", files={"files": ("console.csv", GENERIC)})
    assert response.status_code == 201
    upload_id = response.json()["uploads"][0]["upload_id"]
    assert [u["upload_id"] for u in client.get(f"/app/{app_id}/uploads").json()["items"]] == [
        upload_id
    ]
    assert client.get(f"/app/{app_id}/uploads/{upload_id}").json()["status"] == "completed"
    assert len(client.get(f"/app/{app_id}/usage").json()["items"]) == 2
    assert tenant.machine.get(f"/uploads/{upload_id}").status_code == 200


def test_large_upload_is_accepted_then_completes(tenant: Tenant) -> None:
    # Wide rows: above INLINE_INGEST_BYTES (4 MiB) with few enough rows for DynamoDB Local.
    note = "x" * 240
    rows = "".join(f"m{n % 10},2025-01-01T00:00:{n % 60:02d}Z,{n},{note}\n" for n in range(20_000))
    body = ("meter_id,timestamp,kwh,note\n" + rows).encode()
    assert len(body) > 4 * 1024 * 1024
    response = tenant.machine.post("/uploads", files={"files": ("big.csv", body)})
    assert response.status_code == 202
    upload_id = response.json()["uploads"][0]["upload_id"]
    report = completed_upload(tenant.machine, upload_id, timeout=120)
    assert report["rows_accepted"] == 20_000


def test_empty_option_fields_count_as_not_given(tenant: Tenant) -> None:
    fields = {"threshold_kwh": "", "meter_id": " ", "timezone": ""}
    response = tenant.machine.post("/uploads", files={"files": ("a.csv", GENERIC)}, data=fields)
    assert response.status_code == 201, response.text
    assert response.json()["uploads"][0]["rows_accepted"] == 2


UNKNOWN_LAYOUT = (
    b"when;amount;device;u\n2025-01-01 00:00;1500;gw-1;Wh\n2025-01-01 01:00;2,5;gw-1;kWh\n"
)


def test_a_layout_no_detector_knows_is_explained_then_read_with_a_mapping(
    tenant: Tenant,
) -> None:
    missed = tenant.machine.post("/uploads", files={"files": ("x.csv", UNKNOWN_LAYOUT)})
    (failed,) = missed.json()["uploads"]
    assert failed["status"] == "failed"
    assert "'when', 'amount', 'device', 'u'" in failed["errors"][0]["error"]
    mapping = json.dumps({"time": "when", "usage": "amount", "meter": "device", "unit": "u"})
    read = tenant.machine.post(
        "/uploads",
        files={"files": ("x.csv", UNKNOWN_LAYOUT)},
        data={"columns": mapping, "timezone": "Europe/Berlin"},
    ).json()["uploads"][0]
    assert (read["status"], read["rows_accepted"], read["rows_rejected"]) == ("completed", 2, 0)
    usage = tenant.machine.get("/usage", params={"meter_id": "gw-1"}).json()["items"]
    assert [(u["timestamp"], u["kwh"]) for u in usage] == [
        ("2024-12-31T23:00:00Z", 1.5),
        ("2025-01-01T00:00:00Z", 2.5),
    ]
    bad = tenant.machine.post(
        "/uploads", files={"files": ("x.csv", UNKNOWN_LAYOUT)}, data={"columns": "{time"}
    )
    assert bad.status_code == 422
    assert "columns" in bad.json()["detail"]


def test_an_application_keeps_its_column_mapping_for_every_upload(tenant: Tenant) -> None:
    columns = {"time": "when", "usage": "amount", "meter": "device", "unit": "u"}
    changed = tenant.operator.client.patch(
        f"/app/{tenant.app['id']}", json={"csv_columns": columns}
    )
    assert changed.status_code == 200
    assert changed.json()["csv_columns"]["usage"] == "amount"
    report = tenant.machine.post("/uploads", files={"files": ("x.csv", UNKNOWN_LAYOUT)}).json()[
        "uploads"
    ][0]
    assert (report["status"], report["rows_accepted"]) == ("completed", 2)
