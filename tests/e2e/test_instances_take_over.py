"""Several instances on one backend: an upload is read by one of them only, and the upload of
an instance killed while reading it is finished by another live one, with each reading once
and one alert."""

import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import Operator, ServerProcess, completed_upload, eventually, machine

START = datetime(2025, 3, 1, tzinfo=UTC)
METERS = 12
THRESHOLD = 2.75
# Long enough that the first instance is still reading when it is killed.
DAYS = {"local": 240, "aws": 40}
TAKEOVER_SECONDS = 120
LEFT_UNFINISHED = "reading an upload left unfinished"


def quarter_hours(days: int) -> bytes:
    """A gateway's export: every meter's 15-minute readings, meters interleaved, CRLF lines."""
    lines = ["meter_id,timestamp,kwh"]
    for step in range(days * 96):
        at = START + timedelta(minutes=15 * step)
        lines.extend(
            f"meter-{m:02d},{at:%Y-%m-%dT%H:%M:%SZ},{(step * 7 + m) % 30 / 10:.1f}"
            for m in range(METERS)
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def breaches(days: int) -> int:
    return sum(
        1
        for step in range(days * 96)
        for m in range(METERS)
        if (step * 7 + m) % 30 / 10 > THRESHOLD
    )


@pytest.fixture
def instances(tmp_path: Path, fresh_env: dict[str, str]) -> Iterator[list[ServerProcess]]:
    env = {
        **fresh_env,
        "INLINE_INGEST_BYTES": "0",
        "UPLOAD_LEASE_SECONDS": "4",
        "UPLOAD_SWEEP_SECONDS": "1",
    }
    started = [
        ServerProcess(env=env, log_path=tmp_path / f"instance-{n}.log").start() for n in (1, 2)
    ]
    yield started
    for instance in started:
        instance.stop()


def accept(instance: ServerProcess, key: str, body: bytes) -> str:
    with machine(instance.url, key) as client:
        answer = client.post("/uploads", files={"files": ("gateway.csv", body)})
    assert answer.status_code == 202, answer.text
    upload_id: str = answer.json()["uploads"][0]["upload_id"]
    return upload_id


def stored(client: httpx.Client, days: int) -> tuple[int, list[dict[str, Any]]]:
    summary = client.get(
        "/usage/summary",
        params={
            "interval": "month",
            "start": START.date().isoformat(),
            "end": (START + timedelta(days=days + 31)).date().isoformat(),
        },
    ).json()
    alerts: list[dict[str, Any]] = client.get("/alerts").json()["items"]
    return sum(bucket["readings"] for bucket in summary["buckets"]), alerts


def test_an_upload_of_an_instance_killed_while_reading_it_is_finished_by_another(
    instances: list[ServerProcess],
) -> None:
    first, second = instances
    days = DAYS[first.env["STORAGE_BACKEND"]]
    operator = Operator.register(first.url)
    key = operator.create_key(operator.create_app(threshold_kwh=THRESHOLD)["id"])
    upload_id = accept(first, key, quarter_hours(days))
    with machine(first.url, key) as client:
        eventually(
            lambda: client.get(f"/uploads/{upload_id}").json()["status"] == "processing" or None,
            timeout=60,
            interval=0.02,
        )
    first.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    with machine(second.url, key) as client:
        report = completed_upload(client, upload_id, timeout=TAKEOVER_SECONDS)
        took = time.monotonic() - killed_at
        readings, alerts = stored(client, days)
    assert report["rows_accepted"] == days * 96 * METERS
    assert readings == days * 96 * METERS
    assert [alert["breach_count"] for alert in alerts] == [breaches(days)]
    assert report["alert_id"] == alerts[0]["alert_id"]
    assert upload_id in second.log().split(LEFT_UNFINISHED, 1)[1], "not taken over"
    assert took < TAKEOVER_SECONDS


def test_an_upload_is_read_by_one_instance_while_the_others_sweep(
    instances: list[ServerProcess],
) -> None:
    first, second = instances
    days = DAYS[first.env["STORAGE_BACKEND"]] // 4
    operator = Operator.register(first.url)
    key = operator.create_key(operator.create_app(threshold_kwh=THRESHOLD)["id"])
    upload_id = accept(first, key, quarter_hours(days))
    with machine(second.url, key) as client:
        completed_upload(client, upload_id, timeout=TAKEOVER_SECONDS)
        readings, alerts = stored(client, days)
    assert readings == days * 96 * METERS
    assert [alert["breach_count"] for alert in alerts] == [breaches(days)]
    assert LEFT_UNFINISHED not in second.log()


def test_an_upload_read_while_the_client_waits_is_not_taken_by_its_own_instances_sweep(
    tmp_path: Path, fresh_env: dict[str, str]
) -> None:
    env = {**fresh_env, "UPLOAD_SWEEP_SECONDS": "0.05"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app(threshold_kwh=THRESHOLD)["id"])
        with machine(server.url, key) as client:
            answer = client.post("/uploads", files={"files": ("day.csv", quarter_hours(2))})
            readings, alerts = stored(client, 2)
        assert answer.status_code == 201, answer.text
        assert readings == 2 * 96 * METERS
        assert [alert["breach_count"] for alert in alerts] == [breaches(2)]
        assert LEFT_UNFINISHED not in server.log()
    finally:
        server.stop()
