"""Helpers shared by the test suites: free ports, a real server process, an operator's session,
waiting for what a server does in the background."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def eventually(
    check: Callable[[], T | bool | None],
    timeout: float = 60,
    interval: float = 0.2,
    message: str = "the condition never held",
) -> T:
    """What `check` returns once it is truthy, asked every `interval` seconds.

    A falsy answer or an AssertionError means "not yet", so a check may assert and then return
    what it looked at. After `timeout` seconds the last answer or assertion is the failure.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = check()
        except AssertionError as failure:
            last = f"the last check failed: {failure}"
        else:
            if answer:
                return answer  # type: ignore[return-value]  # truthy: neither None nor False
            last = f"the last check returned {answer!r}"
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message} within {timeout} s; {last}")
        time.sleep(interval)


@dataclass
class FakeClock:
    """Seconds that pass only when a test says so; given as the `clock` of what takes one."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wait_for_port(
    port: int, timeout: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"process exited with {process.returncode} before listening on {port}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


@dataclass
class ServerProcess:
    """`python server.py` as a user runs it, on a free port, with its log kept in a file."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    command: list[str] = field(default_factory=lambda: [sys.executable, "server.py"])
    cwd: Path = ROOT

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "ServerProcess":
        env = {**os.environ, **self.env, "APP_HOST": "127.0.0.1", "APP_PORT": str(self.port)}
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"server not healthy within {timeout} s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def unique_email() -> str:
    return f"op-{uuid.uuid4().hex[:12]}@example.com"


def app_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "App_name": "Meters North",
        "Application": "meters-north",
        "Email": "ops@example.com",
        "Domain": "example.com",
    }
    body.update(overrides)
    return body


@dataclass
class Operator:
    """A registered operator with a bearer token, talking to one server."""

    client: httpx.Client
    email: str
    token: str

    @classmethod
    def register(cls, base_url: str) -> "Operator":
        client = httpx.Client(base_url=base_url, timeout=60, event_hooks=CHECKED_ERRORS)
        email = unique_email()
        response = client.post("/auth/register", json={"email": email, "password": "correct horse"})
        assert response.status_code == 201, response.text
        operator = cls(client, email, response.json()["access_token"])
        client.headers["Authorization"] = f"Bearer {operator.token}"
        return operator

    def create_app(self, **overrides: Any) -> dict[str, Any]:
        response = self.client.post("/app", json=app_body(**overrides))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def create_key(self, app_id: str, **body: Any) -> str:
        response = self.client.post(f"/app/{app_id}/api-key", json=body)
        assert response.status_code == 201, response.text
        secret: str = response.json()["api_key"]
        return secret


def machine(base_url: str, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, headers={"X-API-Key": key}, timeout=60, event_hooks=CHECKED_ERRORS
    )


def completed_upload(client: httpx.Client, upload_id: str, timeout: float) -> dict[str, Any]:
    """The report of an upload the background workers read, once they have completed it."""

    def completed() -> dict[str, Any]:
        report: dict[str, Any] = client.get(f"/uploads/{upload_id}").json()
        assert report["status"] == "completed", report
        return report

    return eventually(completed, timeout=timeout)


ERROR_CODE = re.compile(r"[a-z]+(_[a-z]+)*")


def check_error_shape(response: httpx.Response) -> None:
    """Every error any test meets is `{"detail", "code"}`, as clients branch on `code`; an
    unhealthy `/health` answers with its checks instead."""
    if response.status_code < 400 or "json" not in response.headers.get("content-type", ""):
        return
    if response.request.url.path == "/health":
        return
    body = json.loads(response.read())
    assert set(body) == {"detail", "code"}, body
    assert ERROR_CODE.fullmatch(body["code"]), body


CHECKED_ERRORS = {"response": [check_error_shape]}
