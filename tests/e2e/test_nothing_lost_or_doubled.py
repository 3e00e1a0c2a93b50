"""Nothing lost, mixed or doubled between clients and the store: two large uploads of one
meter at once end as the later-created one, a file repeated after another changed its
readings is read again, many sends of one file at once are read once, an upload whose
application is deleted while its body arrives is refused and removed, and a bad cell in a row
of several readings costs that reading only."""

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.backends import aws_client, stored_counts
from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, eventually

START = datetime(2020, 1, 1, tzinfo=UTC)
LARGE_ROWS = 150_000  # well beyond the inline limit: both are read by the background workers


def quarter_hours(rows: int, kwh: float, meter: str = "m") -> bytes:
    stamps = (START + timedelta(minutes=15 * n) for n in range(rows))
    lines = "".join(f"{meter},{t:%Y-%m-%dT%H:%M:%SZ},{kwh}\n" for t in stamps)
    return ("meter_id,timestamp,kwh\n" + lines).encode()


def report(tenant: Tenant, upload_id: str) -> dict[str, Any]:
    found: dict[str, Any] = tenant.machine.get(f"/uploads/{upload_id}").json()
    return found


def finished(tenant: Tenant, upload_id: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        found = report(tenant, upload_id)
        return found if found["status"] in ("completed", "failed") else None

    return eventually(done, timeout=300)


def total(tenant: Tenant, meter: str = "m", days: int = 3000) -> tuple[float, int]:
    """The meter's kWh and readings over the test's years, as the summary adds them."""
    answer = tenant.machine.get(
        "/usage/summary",
        params={
            "interval": "month",
            "start": START.date().isoformat(),
            "end": (START + timedelta(days=days)).date().isoformat(),
            "meter_id": meter,
        },
    ).json()
    return answer["total_kwh"], sum(bucket["readings"] for bucket in answer["buckets"])


def send(tenant: Tenant, body: bytes, name: str = "usage.csv", **fields: str) -> dict[str, Any]:
    answer = tenant.machine.post("/uploads", files={"files": (name, body)}, data=fields)
    assert answer.status_code in (201, 202), answer.text
    upload: dict[str, Any] = answer.json()["uploads"][0]
    return upload


def test_two_large_uploads_of_one_meter_at_once_end_as_the_later_created(
    tenant: Tenant,
) -> None:
    bodies = {1.0: quarter_hours(LARGE_ROWS, 1.0), 2.0: quarter_hours(LARGE_ROWS, 2.0)}
    sent: dict[float, dict[str, Any]] = {}

    def upload(kwh: float) -> None:
        sent[kwh] = send(tenant, bodies[kwh], name=f"{kwh}.csv")

    threads = [threading.Thread(target=upload, args=(kwh,)) for kwh in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports = {kwh: finished(tenant, upload["upload_id"]) for kwh, upload in sent.items()}

    later = max(reports, key=lambda kwh: reports[kwh]["upload_id"])
    kwh, readings = total(tenant)
    assert kwh == pytest.approx(later * LARGE_ROWS)
    assert readings == LARGE_ROWS
    counts = [r["readings"] for r in reports.values()]
    assert all(sum(c.values()) == LARGE_ROWS for c in counts)
    assert sum(c["new"] for c in counts) == LARGE_ROWS


def test_a_file_repeated_after_another_changed_its_readings_is_read_again(
    tenant: Tenant,
) -> None:
    first, other = quarter_hours(96, 1.0), quarter_hours(96, 3.0)

    a = finished(tenant, send(tenant, first)["upload_id"])
    b = finished(tenant, send(tenant, other)["upload_id"])
    again = finished(tenant, send(tenant, first)["upload_id"])

    assert (a["readings"], b["readings"]) == (
        {"new": 96, "replaced": 0, "unchanged": 0},
        {"new": 0, "replaced": 96, "unchanged": 0},
    )
    assert again["duplicate_of"] is None
    assert again["readings"] == {"new": 0, "replaced": 96, "unchanged": 0}
    kwh, readings = total(tenant)
    assert kwh == pytest.approx(96.0)
    assert readings == 96


def test_a_file_repeated_while_its_readings_are_unchanged_is_its_first_uploads(
    tenant: Tenant,
) -> None:
    first = send(tenant, quarter_hours(96, 1.0))
    send(tenant, quarter_hours(96, 5.0, meter="other"))  # another meter's readings change

    again = send(tenant, quarter_hours(96, 1.0))

    assert again["duplicate_of"] == first["upload_id"]
    assert again["rows_accepted"] == 96


def test_twenty_sends_of_one_file_at_once_are_read_once_with_one_alert(
    server: ServerProcess, operator: Operator
) -> None:
    tenant = Tenant(server, operator, threshold_kwh=0.5)
    body = quarter_hours(200, 1.0)

    async def send_all() -> list[httpx.Response]:
        async with httpx.AsyncClient(
            base_url=server.url, headers={"X-API-Key": tenant.key}, timeout=120
        ) as client:
            return await asyncio.gather(
                *(client.post("/uploads", files={"files": ("same.csv", body)}) for _ in range(20))
            )

    answers = asyncio.run(send_all())

    assert {a.status_code for a in answers} <= {201, 202}, [a.text for a in answers]
    uploads = [answer.json()["uploads"][0] for answer in answers]
    read = [u for u in uploads if u["duplicate_of"] is None]
    assert len(read) == 1, [a.text for a in answers]
    assert {u["duplicate_of"] for u in uploads if u not in read} == {read[0]["upload_id"]}
    for upload in uploads:
        settled = finished(tenant, upload["upload_id"])
        assert (settled["status"], settled["rows_accepted"]) == ("completed", 200)
    alerts = tenant.machine.get("/alerts").json()["items"]
    assert [alert["upload_id"] for alert in alerts] == [read[0]["upload_id"]]
    tenant.machine.close()


def test_an_upload_whose_application_is_deleted_while_its_body_arrives_is_refused(
    server: ServerProcess, tenant: Tenant
) -> None:
    body = quarter_hours(2000, 1.0)
    head, tail = body[:1000], body[1000:]
    boundary = "wattkey-slow-body"
    opening = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="slow.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    closing = f"\r\n--{boundary}--\r\n".encode()
    deleted = threading.Event()

    def slow_body() -> Iterator[bytes]:
        yield opening + head
        assert deleted.wait(30)
        yield tail + closing

    def delete_app() -> None:
        time.sleep(0.5)
        answer = tenant.operator.client.delete(f"/app/{tenant.app['id']}")
        assert answer.status_code == 204, answer.text
        deleted.set()

    deleter = threading.Thread(target=delete_app)
    deleter.start()
    answer = tenant.machine.post(
        "/uploads",
        content=slow_body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    deleter.join()

    assert answer.status_code == 404, answer.text
    assert "deleted while the file was arriving" in answer.json()["detail"]
    eventually(lambda: stored_counts(server, tenant.app["id"])["objects"] == 0)
    assert stored_counts(server, tenant.app["id"])["uploads"] == 0


WIDE_DAY = (
    "Datum;" + ";".join(f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)) + "\r\n"
)


def wide_row(day: str, cells: dict[int, str]) -> str:
    values = [cells.get(n, "0,25") for n in range(96)]
    return f"{day};" + ";".join(values) + "\r\n"


def test_bad_cells_in_rows_of_several_readings_cost_those_readings_only(
    tenant: Tenant,
) -> None:
    wide = WIDE_DAY + wide_row("01.02.2025", {5: "n/a", 9: "\u2014"}) + wide_row("02.02.2025", {})
    channels = (
        "timestamp;import kWh;export kWh\r\n"
        "2025-03-01 00:00;0,5;0,1\r\n2025-03-01 00:15;0,5;x\r\n2025-03-01 00:30;n/a;0,2\r\n"
    )

    day = finished(
        tenant, send(tenant, wide.encode("cp1252"), name="wide.csv", meter_id="w")["upload_id"]
    )
    rows = finished(
        tenant, send(tenant, channels.encode(), name="two.csv", meter_id="c")["upload_id"]
    )

    assert (day["rows_accepted"], day["rows_rejected"]) == (190, 2)
    assert [e["line"] for e in day["errors"]] == [2, 2]
    assert "'01:15'" in day["errors"][0]["error"]
    assert "'02:15'" in day["errors"][1]["error"]
    assert {e["line"] for e in rows["errors"]} == {3, 4}
    assert any("export" in e["error"] for e in rows["errors"])
    assert rows["rows_accepted"] == 4


def test_the_start_up_sweep_removes_uploads_of_applications_that_are_gone(
    fresh_env: dict[str, str], tmp_path: Path
) -> None:
    server = ServerProcess(env=fresh_env, log_path=tmp_path / "first.log").start()
    operator = Operator.register(server.url)
    app = operator.create_app()
    tenant_key = operator.create_key(app["id"])
    with httpx.Client(base_url=server.url, headers={"X-API-Key": tenant_key}) as client:
        client.post(
            "/uploads",
            files={"files": ("big.csv", quarter_hours(4 * LARGE_ROWS, 1.0))},
        ).raise_for_status()
    server.stop(sig=9)  # the upload is left unfinished
    operator.client.close()
    again = ServerProcess(env=fresh_env, log_path=tmp_path / "second.log")
    # The application is gone behind the server's back, as a deletion racing a body leaves it.
    _delete_application_record(fresh_env, app["id"])
    again.start()
    try:
        eventually(lambda: stored_counts(again, app["id"])["uploads"] == 0, timeout=120)
        eventually(lambda: stored_counts(again, app["id"])["objects"] == 0)
    finally:
        again.stop()


def _delete_application_record(env: dict[str, str], app_id: str) -> None:
    if env["STORAGE_BACKEND"] == "aws":
        aws_client(env, "dynamodb").delete_item(
            TableName=env["APPLICATIONS_TABLE"], Key={"id": {"S": app_id}}
        )
        return
    with sqlite3.connect(Path(env["DATA_DIR"]) / "wattkey.sqlite3") as database:
        database.execute("DELETE FROM applications WHERE id = ?", (app_id,))
