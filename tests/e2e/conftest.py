"""A real `python server.py` per backend, shared by the end-to-end tests of a session."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.backends import fresh_aws_env, local_env
from tests.support import Operator, ServerProcess, machine


@pytest.fixture(scope="session", params=["local", "aws"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "aws":
        env = fresh_aws_env(request.getfixturevalue("aws_servers"), root / "data")
    else:
        env = local_env(root / "data")
    running = ServerProcess(env=env, log_path=root / "server.log").start()
    yield running
    running.stop()


@pytest.fixture(params=["local", "aws"])
def fresh_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """A server environment on empty storage of its own, per backend."""
    if request.param == "aws":
        return fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
    return local_env(tmp_path / "data")


@pytest.fixture
def operator(server: ServerProcess) -> Iterator[Operator]:
    registered = Operator.register(server.url)
    yield registered
    registered.client.close()


class Tenant:
    """An operator with one application and one API key, and a machine client using that key."""

    def __init__(self, server: ServerProcess, operator: Operator, **app_fields: object) -> None:
        self.operator = operator
        self.app = operator.create_app(**app_fields)
        self.key = operator.create_key(self.app["id"], name="gateway")
        self.machine = machine(server.url, self.key)


@pytest.fixture
def tenant(server: ServerProcess, operator: Operator) -> Iterator[Tenant]:
    created = Tenant(server, operator)
    yield created
    created.machine.close()
