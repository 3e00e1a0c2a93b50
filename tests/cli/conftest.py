"""The end-to-end servers and tenants, shared with tests/e2e, and servers of a test's own."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import fresh_env, operator, server, tenant
from tests.support import Operator, ServerProcess, machine

__all__ = ["fresh_env", "operator", "own_server", "server", "small_limit_server", "tenant"]

SMALL_LIMIT_BYTES = 1000


@dataclass
class OwnServer:
    server: ServerProcess
    key: str
    machine: httpx.Client


@contextmanager
def started(env: dict[str, str], log: Path) -> Iterator[OwnServer]:
    """A server of its own with these settings, and the key of an application on it."""
    running = ServerProcess(env=env, log_path=log).start()
    try:
        operator = Operator.register(running.url)
        key = operator.create_key(operator.create_app()["id"])
        with machine(running.url, key) as client:
            yield OwnServer(running, key, client)
    finally:
        running.stop()


@pytest.fixture
def own_server(fresh_env: dict[str, str], tmp_path: Path) -> Iterator[OwnServer]:
    """A server that a test may stop and start.

    It processes every upload in the background, so that the command has to poll for reports.
    """
    with started({**fresh_env, "INLINE_INGEST_BYTES": "0"}, tmp_path / "server.log") as own:
        yield own


@pytest.fixture
def small_limit_server(fresh_env: dict[str, str], tmp_path: Path) -> Iterator[OwnServer]:
    """A server that takes uploads of at most SMALL_LIMIT_BYTES."""
    env = {**fresh_env, "MAX_UPLOAD_BYTES": str(SMALL_LIMIT_BYTES)}
    with started(env, tmp_path / "server.log") as own:
        yield own
