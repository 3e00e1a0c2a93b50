"""Deleting an application deletes what it had, stops its work, and survives a crash."""

import signal
from pathlib import Path

import pytest

from tests.e2e.backends import fresh_aws_env, local_env, stored_counts
from tests.support import Operator, ServerProcess, eventually, machine

NOTHING = {
    "readings": 0,
    "meters": 0,
    "uploads": 0,
    "alerts": 0,
    "api_keys": 0,
    "objects": 0,
    "idempotency_keys": 0,
    "recent_files": 0,
}
BIG = "meter_id,timestamp,kwh\n" + "".join(
    f"m{n % 7},2025-02-{1 + n // 1440 % 28:02d}T{n // 60 % 24:02d}:{n % 60:02d}:00Z,{n % 9}\n"
    for n in range(40_000)
)


@pytest.fixture(params=["local", "aws"])
def fresh_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "aws":
        return fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
    return local_env(tmp_path / "data")


def wait_for(server: ServerProcess, app_id: str, expected: dict[str, int]) -> None:
    # Generous: on DynamoDB Local under a parallel test run, two passes over 40,000 readings
    # take a while.
    def settled() -> dict[str, int]:
        counts = stored_counts(server, app_id)
        assert counts == expected, counts
        return counts

    eventually(settled, timeout=180, interval=0.5)


def test_everything_goes_and_a_running_upload_stops(
    tmp_path: Path, fresh_env: dict[str, str]
) -> None:
    env = {**fresh_env, "INLINE_INGEST_BYTES": "100000"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app(threshold_kwh=7.5)
        keep = operator.create_app(App_name="Kept", threshold_kwh=7.5)
        key = operator.create_key(app["id"])
        kept_key = operator.create_key(keep["id"])
        with machine(server.url, key) as client, machine(server.url, kept_key) as kept:
            small = b"meter_id,timestamp,kwh\nm1,2025-01-01T00:00:00Z,9\n"
            sent = client.post(
                "/uploads", files={"files": ("s.csv", small)}, headers={"Idempotency-Key": "s-1"}
            )
            assert sent.status_code == 201
            assert kept.post("/uploads", files={"files": ("k.csv", small)}).status_code == 201
            running = client.post("/uploads", files={"files": ("big.csv", BIG.encode())})
            assert running.status_code == 202
            assert operator.client.delete(f"/app/{app['id']}").status_code == 204
            assert client.get("/protected").status_code == 401
            wait_for(server, app["id"], {**NOTHING, "purges": 0})
            assert kept.get("/usage").json()["items"][0]["kwh"] == 9.0
            assert len(kept.get("/alerts").json()["items"]) == 1
    finally:
        server.stop()


def test_a_crash_during_the_deletion_is_finished_by_the_next_start(
    tmp_path: Path, fresh_env: dict[str, str]
) -> None:
    server = ServerProcess(env=fresh_env, log_path=tmp_path / "log").start()
    operator = Operator.register(server.url)
    app = operator.create_app()
    with machine(server.url, operator.create_key(app["id"])) as client:
        assert client.post("/uploads", files={"files": ("b.csv", BIG.encode())}).is_success
    assert operator.client.delete(f"/app/{app['id']}").status_code == 204
    server.stop(signal.SIGKILL)
    server.start()
    try:
        wait_for(server, app["id"], {**NOTHING, "purges": 0})
    finally:
        server.stop()
