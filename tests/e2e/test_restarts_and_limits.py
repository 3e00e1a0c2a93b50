"""Servers of their own: restart persistence, crash recovery, upload limits and CORS."""

import signal
from pathlib import Path

import httpx

from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess, completed_upload, machine

ROW_COUNT = 60_000
ROWS = "meter_id,timestamp,kwh\n" + "".join(
    f"m{n % 5},2025-01-{1 + n // 1440 % 28:02d}T{n // 60 % 24:02d}:{n % 60:02d}:00Z,{n % 13}\n"
    for n in range(ROW_COUNT)
)


def test_everything_survives_a_restart(tmp_path: Path, fresh_env: dict[str, str]) -> None:
    server = ServerProcess(env=fresh_env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app(threshold_kwh=0.45)
        key = operator.create_key(app["id"])
        with machine(server.url, key) as client:
            report = client.post(
                "/uploads",
                files={"files": ("a.csv", b"meter_id,timestamp,kwh\nm,2025-01-01,0.5\n")},
            ).json()
    finally:
        server.stop()
    server.start()
    try:
        login = httpx.post(
            f"{server.url}/auth/login", json={"email": operator.email, "password": "correct horse"}
        )
        assert login.status_code == 200
        operator.client.base_url = httpx.URL(server.url)
        assert operator.client.get("/auth/me").status_code == 200
        assert operator.client.get(f"/app/{app['id']}").json() == app
        with machine(server.url, key) as client:
            assert client.get("/protected").status_code == 200
            upload = report["uploads"][0]
            assert client.get(f"/uploads/{upload['upload_id']}").json() == upload
            assert client.get("/usage").json()["items"] == [
                {"meter_id": "m", "timestamp": "2025-01-01T00:00:00Z", "kwh": 0.5}
            ]
            assert [a["alert_id"] for a in client.get("/alerts").json()["items"]] == [
                upload["alert_id"]
            ]
    finally:
        server.stop()


def test_a_crash_after_accepting_loses_nothing_and_doubles_nothing(
    tmp_path: Path, fresh_env: dict[str, str]
) -> None:
    env = {**fresh_env, "INLINE_INGEST_BYTES": "0"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    operator = Operator.register(server.url)
    app = operator.create_app(threshold_kwh=11.5)
    key = operator.create_key(app["id"])
    with machine(server.url, key) as client:
        accepted = client.post("/uploads", files={"files": ("big.csv", ROWS.encode())})
    assert accepted.status_code == 202
    upload_id = accepted.json()["uploads"][0]["upload_id"]
    server.stop(signal.SIGKILL)
    server.start()
    try:
        with machine(server.url, key) as client:
            report = completed_upload(client, upload_id, timeout=120)
            assert report["rows_accepted"] == ROW_COUNT
            total = 0
            cursor = None
            while True:
                page = client.get(
                    "/usage", params={"limit": 1000, **({"cursor": cursor} if cursor else {})}
                ).json()
                total += len(page["items"])
                if not (cursor := page["next_cursor"]):
                    break
            assert total == len({line.rsplit(",", 1)[0] for line in ROWS.splitlines()[1:]})
            alerts = client.get("/alerts").json()["items"]
            assert len(alerts) == 1
            assert alerts[0]["breach_count"] == sum(1 for n in range(ROW_COUNT) if n % 13 == 12)
    finally:
        server.stop()


def test_oversized_uploads_are_413(tmp_path: Path) -> None:
    env = {**local_env(tmp_path / "data"), "MAX_UPLOAD_BYTES": "1000"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app()["id"])
        big = b"meter_id,timestamp,kwh\n" + b"m,2025-01-01T00:00:00Z,1\n" * 100
        with machine(server.url, key) as client:
            multipart = client.post("/uploads", files={"files": ("big.csv", big)})
            assert multipart.status_code == 413
            assert multipart.json()["detail"] == (
                "The request body is larger than the upload limit (MAX_UPLOAD_BYTES) of 1000 bytes."
            )
            raw = client.post("/uploads", content=big, headers={"Content-Type": "text/csv"})
            assert raw.status_code == 413
            chunked = client.post(
                "/uploads",
                content=iter([big[:600], big[600:]]),
                headers={"Content-Type": "text/csv"},
            )
            assert chunked.status_code == 413
            small = client.post("/uploads", files={"files": ("ok.csv", big[:200])})
            assert small.status_code == 201
            assert (
                client.get("/uploads").json()["items"][0]["upload_id"]
                == small.json()["uploads"][0]["upload_id"]
            )
            assert len(client.get("/uploads").json()["items"]) == 1
    finally:
        server.stop()


def test_cors_allows_configured_origins_only(tmp_path: Path) -> None:
    env = {
        **local_env(tmp_path / "data"),
        "ALLOWED_ORIGINS": "https://console.example.com, http://localhost:3000",
    }
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        }
        allowed = httpx.options(
            f"{server.url}/app", headers={"Origin": "https://console.example.com", **preflight}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://console.example.com"
        denied = httpx.options(
            f"{server.url}/app", headers={"Origin": "https://evil.example.com", **preflight}
        )
        assert "access-control-allow-origin" not in denied.headers
    finally:
        server.stop()
