"""Uploads that are safe to send again: Idempotency-Key, repeated files, and the errors file."""

import contextlib
import csv
import io
import signal
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.backends import fresh_aws_env, local_env
from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, eventually, machine

# A P1 gateway's quarter hours, as the HomeWizard app exports them: registers that only grow.
REGISTERS = b"""time,Import T1 kWh,Import T2 kWh,Export T1 kWh,Export T2 kWh
2025-03-01 00:00,8350.274,4650.277,3095.077,7450.128
2025-03-01 00:15,8350.385,4650.468,3095.078,7450.301
2025-03-01 00:30,8356.705,4650.591,3095.197,7450.502
2025-03-01 00:45,8356.912,4650.700,3095.300,7450.640
"""
GATEWAY = {"meter_id": "p1-gateway", "timezone": "Europe/Amsterdam", "threshold_kwh": "5"}


def send(tenant: Tenant, body: bytes, key: str | None = None, **fields: str) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return tenant.machine.post(
        "/uploads", files={"files": ("p1.csv", body)}, data=fields, headers=headers
    )


def uploads_of(tenant: Tenant) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = tenant.machine.get("/uploads").json()["items"]
    return items


def test_a_retry_under_the_same_key_gets_the_first_answer_and_creates_nothing(
    tenant: Tenant,
) -> None:
    first = send(tenant, REGISTERS, "gw-2025-03-01-0001", **GATEWAY)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    again = send(tenant, REGISTERS, "gw-2025-03-01-0001", **GATEWAY)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    (report,) = first.json()["uploads"]
    assert report["alert_id"] is not None  # the import register moved 6.32 kWh in 15 minutes
    assert [u["upload_id"] for u in uploads_of(tenant)] == [report["upload_id"]]
    assert len(tenant.machine.get("/alerts").json()["items"]) == 1


def test_the_same_key_with_another_request_is_refused(tenant: Tenant) -> None:
    assert send(tenant, REGISTERS, "gw-key-1", **GATEWAY).status_code == 201
    other_file = send(tenant, REGISTERS.replace(b"8356.912", b"8356.999"), "gw-key-1", **GATEWAY)
    assert other_file.status_code == 422
    assert "different request" in other_file.json()["detail"]
    other_options = send(tenant, REGISTERS, "gw-key-1", **{**GATEWAY, "meter_id": "other"})
    assert other_options.status_code == 422
    assert len(uploads_of(tenant)) == 1


@pytest.mark.parametrize("key", [b"", b"x" * 256, "naïve-key".encode(), b"tab\tkey"])
def test_a_key_that_is_not_1_to_255_printable_characters_is_refused(
    tenant: Tenant, key: bytes
) -> None:
    response = tenant.machine.post(
        "/uploads", files={"files": ("p1.csv", REGISTERS)}, headers={b"Idempotency-Key": key}
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert uploads_of(tenant) == []


def test_keys_belong_to_one_application(server: ServerProcess, tenant: Tenant) -> None:
    other = Tenant(server, tenant.operator)
    assert send(tenant, REGISTERS, "shared-key", **GATEWAY).status_code == 201
    theirs = send(other, REGISTERS, "shared-key", **GATEWAY)
    assert theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert len(uploads_of(other)) == 1


def test_a_file_sent_again_is_answered_by_the_first_upload(tenant: Tenant) -> None:
    first = send(tenant, REGISTERS, **GATEWAY).json()["uploads"][0]
    again = send(tenant, REGISTERS, **GATEWAY)
    assert again.status_code == 201
    repeat = again.json()["uploads"][0]
    assert repeat["upload_id"] != first["upload_id"]
    assert repeat["duplicate_of"] == first["upload_id"]
    assert repeat["status"] == "completed"
    counts = ("rows_total", "rows_accepted", "rows_rejected", "errors")
    assert {name: repeat[name] for name in counts} == {name: first[name] for name in counts}
    assert repeat["alert_id"] is None
    assert len(tenant.machine.get("/alerts").json()["items"]) == 1
    assert first["duplicate_of"] is None


def test_force_or_other_options_read_a_repeated_file_again(tenant: Tenant) -> None:
    first = send(tenant, REGISTERS, **GATEWAY).json()["uploads"][0]
    forced = send(tenant, REGISTERS, **GATEWAY, force="true").json()["uploads"][0]
    assert forced["duplicate_of"] is None
    assert forced["alert_id"] not in (None, first["alert_id"])
    elsewhere = send(tenant, REGISTERS, **{**GATEWAY, "meter_id": "p1-garage"})
    assert elsewhere.json()["uploads"][0]["duplicate_of"] is None
    assert len(tenant.machine.get("/alerts").json()["items"]) == 3


def test_the_errors_file_lists_every_rejected_line(server: ServerProcess, tenant: Tenant) -> None:
    lines = ["meter_id,timestamp,kwh"]
    for n in range(1, 2501):
        lines.append(f"m1,2025-01-01T{n // 60 % 24:02d}:{n % 60:02d}:00Z,{'-' if n % 2 else n}")
    report = send(tenant, "\n".join(lines).encode()).json()["uploads"][0]
    assert report["rows_rejected"] == 1250
    assert len(report["errors"]) == 100
    path = f"/uploads/{report['upload_id']}/errors.csv"
    response = tenant.machine.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["line", "error"]
    assert len(rows) == 1 + 1250
    assert rows[1:101] == [[str(e["line"]), e["error"]] for e in report["errors"]]
    assert rows[-1] == ["2500", "Missing value."]
    by_operator = tenant.operator.client.get(f"/app/{tenant.app['id']}{path}")
    assert by_operator.text == response.text
    other = Tenant(server, tenant.operator)
    assert other.machine.get(path).status_code == 404


def test_the_errors_file_of_a_clean_file_or_a_refused_one(tenant: Tenant) -> None:
    clean = send(tenant, REGISTERS, **GATEWAY).json()["uploads"][0]
    assert tenant.machine.get(f"/uploads/{clean['upload_id']}/errors.csv").text == "line,error\n"
    refused = send(tenant, b"\xff\xfe not text").json()["uploads"][0]
    assert refused["status"] == "failed"
    text = tenant.machine.get(f"/uploads/{refused['upload_id']}/errors.csv").text
    ((line, error),) = list(csv.reader(io.StringIO(text)))[1:]
    assert (line, error) == ("0", refused["errors"][0]["error"])
    assert tenant.machine.get("/uploads/up_nothing/errors.csv").status_code == 404


def test_a_repeat_shares_the_first_uploads_errors_file(tenant: Tenant) -> None:
    body = b"meter_id,timestamp,kwh\nm,2025-01-01T00:00:00Z,lots\nm,2025-01-01T01:00:00Z,1\n"
    first = send(tenant, body).json()["uploads"][0]
    repeat = send(tenant, body).json()["uploads"][0]
    assert repeat["duplicate_of"] == first["upload_id"]
    texts = {
        tenant.machine.get(f"/uploads/{u['upload_id']}/errors.csv").text for u in (first, repeat)
    }
    assert len(texts) == 1
    assert "lots" in texts.pop()


@pytest.fixture(params=["local", "aws"])
def own_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "aws":
        return fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
    return local_env(tmp_path / "data")


def test_a_retry_after_the_server_died_mid_request_waits_then_replays_nothing_twice(
    tmp_path: Path, own_env: dict[str, str]
) -> None:
    """Killed while it read the file, the server never answered: the retry is told to wait
    while the first request's claim lasts, and the upload itself is finished after the restart."""
    server = ServerProcess(env=own_env, log_path=tmp_path / "log").start()
    operator = Operator.register(server.url)
    key = operator.create_key(operator.create_app()["id"])
    # Long enough to be caught being read: DynamoDB Local writes about 20 times slower.
    count = 100_000 if own_env["STORAGE_BACKEND"] == "local" else 20_000
    rows = "".join(
        f"m{n % 7},2025-02-{1 + n // 1440 % 28:02d}T{n // 60 % 24:02d}:{n % 60:02d}:00Z,0.{n % 9}\n"
        for n in range(count)
    )
    body = ("meter_id,timestamp,kwh\n" + rows).encode()
    headers = {"Idempotency-Key": "night-batch-17", "Content-Type": "text/csv"}
    with machine(server.url, key) as client:
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}) as sender:
            threading.Thread(
                target=lambda: _quietly(sender.post, "/uploads", content=body, headers=headers),
                daemon=True,
            ).start()
            # Asked often: the upload is caught while it is read, before it completes.
            eventually(lambda: _statuses(client) == ["processing"], interval=0.02)
        server.stop(signal.SIGKILL)
    server.start()
    try:
        with machine(server.url, key) as client:
            retry = client.post("/uploads", content=body, headers=headers)
            assert retry.status_code == 409, retry.text
            assert retry.headers["retry-after"] == "1"
            eventually(lambda: _statuses(client) == ["completed"], timeout=180)
    finally:
        server.stop()


def _statuses(client: httpx.Client) -> list[str]:
    return [u["status"] for u in client.get("/uploads").json()["items"]]


def _quietly(call: Any, *args: Any, **kwargs: Any) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server is killed mid-request
        call(*args, **kwargs)
