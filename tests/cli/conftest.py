"""The end-to-end servers and tenants, shared with tests/e2e, and servers of a test's own."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import fresh_env, operator, server, tenant
from tests.support import Operator, ServerProcess, machine

__all__ = ["fresh_env", "operator", "own_server", "server", "tenant"]


@dataclass
class OwnServer:
    server: ServerProcess
    key: str
    machine: httpx.Client


@pytest.fixture
def own_server(fresh_env: dict[str, str], tmp_path: Path) -> Iterator[OwnServer]:
    """A server that a test may stop and start, with the key of an application on it.

    It processes every upload in the background, so that the command has to poll for reports.
    """
    env = {**fresh_env, "INLINE_INGEST_BYTES": "0"}
    running = ServerProcess(env=env, log_path=tmp_path / "server.log").start()
    try:
        operator = Operator.register(running.url)
        key = operator.create_key(operator.create_app()["id"])
        with machine(running.url, key) as client:
            yield OwnServer(running, key, client)
    finally:
        running.stop()
