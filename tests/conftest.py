"""Session-wide fixtures shared by the test suites."""

from collections.abc import Iterator

import pytest

from tests.aws_servers import AwsServers, running_aws_servers


@pytest.fixture(scope="session")
def aws_servers() -> Iterator[AwsServers]:
    """DynamoDB Local and moto, started on first use and stopped at the end of the session."""
    with running_aws_servers() as servers:
        yield servers
