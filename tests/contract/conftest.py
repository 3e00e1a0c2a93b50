"""The storage contract runs against every backend; each gets fresh, empty stores per test."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.aws.backend import open_aws_storage
from storage.local.backend import open_local_storage
from storage.ports import Storage
from tests.aws_servers import CREDENTIALS, AwsServers, OpenAws, aws_settings, new_prefix


@pytest.fixture
def open_aws(aws_servers: AwsServers, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAws]:
    """Opens aws backends on the test servers (closed after the test).

    Takes a name prefix (fresh by default) and Settings overrides.
    """
    # boto3 reads credentials from the environment, not from Settings.
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    opened: list[Storage] = []

    def open_storage(prefix: str | None = None, **overrides: Any) -> Storage:
        settings = aws_settings(aws_servers, prefix or new_prefix(), **overrides)
        opened.append(open_aws_storage(settings))
        return opened[-1]

    yield open_storage
    for storage in opened:
        storage.lifecycle.close()


@pytest.fixture
def aws_storage(open_aws: OpenAws) -> Storage:
    """The aws backend on tables and a bucket of its own."""
    storage = open_aws()
    storage.lifecycle.prepare()
    return storage


@pytest.fixture(params=["local", "aws"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "aws":
        # Looked up only here, so a run of the local tests alone starts no servers.
        yield request.getfixturevalue("aws_storage")
        return
    opened = open_local_storage(tmp_path)
    opened.lifecycle.prepare()
    yield opened
    opened.lifecycle.close()
