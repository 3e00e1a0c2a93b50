"""The package installs whole: a wheel in a fresh virtual environment runs the real service."""

import subprocess
import sys
from pathlib import Path

import httpx

from tests.e2e.backends import local_env
from tests.support import ROOT, Operator, ServerProcess, machine

CSV = b"meter_id,timestamp,kwh\nm1,2025-01-01T00:00:00Z,0.5\nm1,2025-01-01T01:00:00Z,7\n"


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True)


def test_a_wheel_installed_outside_the_checkout_serves(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", wheels)
    (wheel,) = wheels.glob("wattkey-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    server = ServerProcess(
        env=local_env(elsewhere / "data"),
        log_path=tmp_path / "server.log",
        command=[str(venv / "bin" / "wattkey-server")],
        cwd=elsewhere,
    ).start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app(threshold_kwh=5)
        key = operator.create_key(app["id"])
        with machine(server.url, key) as client:
            report = client.post("/uploads", files={"files": ("a.csv", CSV)}).json()["uploads"][0]
        assert (report["status"], report["rows_accepted"], bool(report["alert_id"])) == (
            "completed",
            2,
            True,
        )
        assert (elsewhere / "data" / "wattkey.sqlite3").exists()
        (elsewhere / "b.csv").write_bytes(CSV.replace(b"m1", b"m2"))
        command = [str(venv / "bin" / "wattkey"), "upload", "b.csv", "--url", server.url]
        sent = subprocess.run(
            command, cwd=elsewhere, env={"WATTKEY_API_KEY": key}, capture_output=True, check=False
        )
        assert sent.returncode == 0, sent.stderr
        docs = httpx.get(f"{server.url}/docs").text
        assert "/static-offline-docs/swagger-ui-bundle.js" in docs
        assert httpx.get(f"{server.url}/static-offline-docs/swagger-ui-bundle.js").is_success
    finally:
        server.stop()
