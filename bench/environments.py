"""The server environment of a benchmark run, per backend.

`aws` starts DynamoDB Local and moto (as the tests do) for the length of the run, so that every
figure of one run is measured against the same endpoints.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from tests.aws_servers import AwsServers, running_aws_servers
from tests.e2e.backends import fresh_aws_env, local_env
from tests.support import Operator, ServerProcess

Backend = Literal["local", "aws"]
BACKENDS: tuple[Backend, ...] = ("local", "aws")


# Throughput over pause times: DynamoDB Local is the bottleneck of the aws figures.
JAVA_OPTIONS = "-XX:+UseParallelGC -Xms1g"


@contextmanager
def aws_test_servers() -> Iterator[AwsServers]:
    os.environ.setdefault("DYNAMODB_LOCAL_JAVA_OPTS", JAVA_OPTIONS)
    with running_aws_servers() as servers:
        if not servers.dynamodb_local:
            print("note: DynamoDB Local is unavailable; these figures are against moto")
        yield servers


@contextmanager
def backend_env(backend: Backend, scratch: Path) -> Iterator[dict[str, str]]:
    if backend == "local":
        yield local_env(scratch / "data")
        return
    with aws_test_servers() as servers:
        yield fresh_aws_env(servers, scratch / "data")


@contextmanager
def keyed_server(backend: Backend) -> Iterator[tuple[str, str]]:
    """A real server on empty storage, and the API key of a new application: (url, key)."""
    with (
        tempfile.TemporaryDirectory(prefix="wattkey-bench-") as scratch,
        backend_env(backend, Path(scratch)) as env,
    ):
        server = ServerProcess(env=env, log_path=Path(scratch) / "server.log").start()
        try:
            operator = Operator.register(server.url)
            yield server.url, operator.create_key(operator.create_app()["id"])
        finally:
            server.stop()
