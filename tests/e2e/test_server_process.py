"""The server process as its operator meets it: startup lines, a busy port, log formats, 500s."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.backends import local_env
from tests.support import ROOT, Operator, ServerProcess


def test_the_startup_line_says_where_the_service_and_its_data_are(tmp_path: Path) -> None:
    server = ServerProcess(env=local_env(tmp_path / "data"), log_path=tmp_path / "log").start()
    server.stop()
    started = next(
        json.loads(line)["message"]
        for line in server.log().splitlines()
        if line.startswith("{") and "is serving" in line
    )
    assert f"http://127.0.0.1:{server.port}" in started
    assert "local backend" in started
    assert str((tmp_path / "data").resolve()) in started


def test_a_busy_port_is_named_with_the_setting_to_change(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**local_env(tmp_path / "data"), "APP_HOST": "127.0.0.1", "APP_PORT": str(port)}
        finished = subprocess.run(
            [sys.executable, "server.py"], cwd=ROOT, env=env, capture_output=True, timeout=60
        )
    assert finished.returncode != 0
    said = finished.stderr.decode()
    assert f"port {port} on 127.0.0.1 is already in use" in said
    assert "APP_PORT" in said
    assert "Traceback" not in said


def test_simple_log_lines_carry_method_path_and_status(tmp_path: Path) -> None:
    env = {**local_env(tmp_path / "data"), "LOG_FORMAT": "simple"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        httpx.get(f"{server.url}/", headers={"X-Request-ID": "simple-1"})
    finally:
        server.stop()
    assert any("[simple-1]" in line and "GET / 200 " in line for line in server.log().splitlines())


def test_json_log_lines_carry_no_terminal_colours(tmp_path: Path) -> None:
    server = ServerProcess(env=local_env(tmp_path / "data"), log_path=tmp_path / "log").start()
    server.stop()
    lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    assert lines
    assert not any("color_message" in line or "\x1b[" in json.dumps(line) for line in lines)


def test_a_corrupt_record_is_a_logged_500_with_request_id_and_cors(tmp_path: Path) -> None:
    origin = "https://console.example.com"
    env = {**local_env(tmp_path / "data"), "ALLOWED_ORIGINS": origin}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app()
        with sqlite3.connect(tmp_path / "data" / "wattkey.sqlite3") as database:
            database.execute("UPDATE applications SET doc = '{\"id\": 1}'")
        answer = operator.client.get(
            f"/app/{app['id']}", headers={"Origin": origin, "X-Request-ID": "corrupt-1"}
        )
        assert answer.status_code == 500
        assert answer.json() == {
            "detail": (
                "Something went wrong on our side; it has been logged with this request's id."
            ),
            "code": "internal_error",
        }
        assert answer.headers["x-request-id"] == "corrupt-1"
        assert answer.headers["access-control-allow-origin"] == origin
        assert operator.client.get("/auth/me").status_code == 200
    finally:
        server.stop()
    logged = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    assert any(
        line.get("request_id") == "corrupt-1" and line["message"] == "unexpected error"
        for line in logged
    )


def test_files_a_killed_process_was_receiving_are_swept_at_start(tmp_path: Path) -> None:
    incoming = tmp_path / "data" / "incoming"
    incoming.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    left_behind = incoming / f"{int(dead.stdout)}-abc.upload"
    left_behind.write_bytes(b"half a file")
    still_receiving = incoming / f"{os.getpid()}-def.upload"
    still_receiving.write_bytes(b"being received")
    server = ServerProcess(env=local_env(tmp_path / "data"), log_path=tmp_path / "log").start()
    server.stop()
    assert not left_behind.exists()
    assert still_receiving.exists()


def test_a_body_that_never_arrives_is_refused_in_time(tmp_path: Path) -> None:
    env = {**local_env(tmp_path / "data"), "REQUEST_BODY_TIMEOUT_SECONDS": "1"}
    server = ServerProcess(env=env, log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app()["id"])
        for path, media_type in (("/auth/register", "application/json"), ("/uploads", "text/csv")):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
                client.sendall(
                    f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {media_type}\r\n"
                    f"X-API-Key: {key}\r\nContent-Length: 100\r\n\r\nhalf".encode()
                )
                started = time.monotonic()
                answer = _whole_answer(client)
            assert time.monotonic() - started < 8
            assert answer.startswith("HTTP/1.1 408 "), answer
            assert "stopped arriving for 1 seconds" in answer
    finally:
        server.stop()


def _whole_answer(client: socket.socket) -> str:
    received = b""
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        chunk = client.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.decode()
