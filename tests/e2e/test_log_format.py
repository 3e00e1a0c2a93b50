"""LOG_FORMAT=auto, the default: readable lines for a person at a terminal, JSON for a file."""

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tests.e2e.backends import local_env
from tests.support import ROOT, eventually, free_port, wait_for_port


def test_a_server_on_a_terminal_writes_readable_lines(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, **local_env(tmp_path / "data"), "APP_PORT": str(port)}
    env.pop("LOG_FORMAT", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=follower, stderr=follower
    )
    os.close(follower)
    said = bytearray()
    reader = threading.Thread(target=_read_all, args=(leader, said), daemon=True)
    reader.start()
    try:
        wait_for_port(port, timeout=60)
        httpx.get(f"http://127.0.0.1:{port}/", headers={"X-Request-ID": "at-a-terminal"})
        # The request's line is written just after its answer is sent.
        eventually(lambda: b"[at-a-terminal]" in said, timeout=10, interval=0.05)
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=5)
        os.close(leader)

    lines = said.decode(errors="replace").splitlines()
    request = [line for line in lines if "[at-a-terminal]" in line]
    assert request, lines
    assert "GET / 200" in request[0]
    assert not any(line.startswith("{") for line in lines)


def _read_all(leader: int, said: bytearray) -> None:
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the server
            return
        if not chunk:
            return
        said.extend(chunk)
