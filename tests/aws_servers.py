"""Real servers for the aws backend: DynamoDB Local and moto's server mode (S3, SES, SNS).

Both run as child processes on free ports for one test session. Without java (or, before its
first install, mvn) DynamoDB Local cannot run: the tests then use moto's DynamoDB and say
so, except in CI, where that fails.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import IO, Any

import boto3

from settings import Settings
from storage.ports import Storage
from tests.support import ROOT, free_port, wait_for_port

DYNAMODB_LOCAL = ROOT / "scripts" / "dynamodb-local"
TOOLS_MISSING = 3  # the exit code of scripts/dynamodb-local without java or mvn
# The first run installs DynamoDB Local from Maven Central into a cache.
DYNAMODB_START_SECONDS = 300
MOTO_START_SECONDS = 30
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"
# Opens an aws backend on the test servers: (name prefix=None, **Settings overrides).
OpenAws = Callable[..., Storage]


class StartFailed(RuntimeError):
    def __init__(self, command: list[str], returncode: int | None, output: str) -> None:
        super().__init__(f"{command[0]} did not start (exit code {returncode}):\n{output}")
        self.returncode = returncode


class DynamoDbLocalUnavailable(RuntimeError):
    """java (or, for the first install, mvn) is missing."""


@dataclass(frozen=True)
class AwsServers:
    dynamodb_url: str
    moto_url: str
    dynamodb_local: bool  # False when moto stands in for DynamoDB Local


@contextmanager
def _process(command: list[str], port: int, timeout: float) -> Iterator[str]:
    """Run `command` as long as the block lasts, once it listens on `port`."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_listening(process, command, port, timeout, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(process)


def _wait_until_listening(
    process: subprocess.Popen[bytes], command: list[str], port: int, timeout: float, log: IO[bytes]
) -> None:
    try:
        wait_for_port(port, timeout, process)
    except (RuntimeError, TimeoutError) as error:
        _stop(process)
        log.seek(0)
        output = log.read().decode(errors="replace")
        raise StartFailed(command, process.returncode, output) from error


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def dynamodb_local() -> Iterator[str]:
    """DynamoDB Local, in memory; raises DynamoDbLocalUnavailable without java or mvn."""
    if shutil.which("java") is None:
        raise DynamoDbLocalUnavailable("'java' was not found on PATH")
    port = free_port()
    with ExitStack() as stack:
        try:
            url = stack.enter_context(
                _process([str(DYNAMODB_LOCAL), str(port)], port, DYNAMODB_START_SECONDS)
            )
        except StartFailed as failed:
            if failed.returncode == TOOLS_MISSING:
                raise DynamoDbLocalUnavailable(str(failed)) from failed
            raise
        yield url


@contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with _process(command, port, MOTO_START_SECONDS) as url:
        yield url


@contextmanager
def running_aws_servers() -> Iterator[AwsServers]:
    with moto_server() as moto_url, ExitStack() as stack:
        try:
            dynamodb_url = stack.enter_context(dynamodb_local())
        except DynamoDbLocalUnavailable as missing:
            dynamodb_url = _dynamodb_fallback(moto_url, missing)
        yield AwsServers(dynamodb_url, moto_url, dynamodb_local=dynamodb_url != moto_url)


def _dynamodb_fallback(moto_url: str, missing: DynamoDbLocalUnavailable) -> str:
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must test against DynamoDB Local: {missing}") from missing
    reason = f"DynamoDB Local could not be used, testing on moto's DynamoDB instead: {missing}"
    warnings.warn(reason, stacklevel=2)
    print(f"WARNING: {reason}", file=sys.stderr)
    return moto_url


def server_client(service: str, endpoint: str) -> Any:
    """A boto3 client of one of the test servers, with the test credentials."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def new_prefix() -> str:
    """A name prefix that no other test or run uses."""
    return f"wk{uuid.uuid4().hex[:12]}-"


def resource_names(prefix: str) -> dict[str, str]:
    """Settings field names and values for tables and a bucket of their own."""
    tables = [name for name in Settings.model_fields if name.endswith("_table")]
    names = {table: f"{prefix}{table.removesuffix('_table')}" for table in tables}
    return {**names, "s3_bucket": f"{prefix}uploads".lower().replace("_", "-")}


def aws_env(dynamodb_url: str, moto_url: str, prefix: str) -> dict[str, str]:
    """The environment of a `STORAGE_BACKEND=aws` server process using these servers."""
    return {
        "STORAGE_BACKEND": "aws",
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "AWS_ENDPOINT_URL_S3": moto_url,
        "AWS_ENDPOINT_URL_SES": moto_url,
        "AWS_ENDPOINT_URL_SNS": moto_url,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        **CREDENTIALS,
        "JWT_SECRET": "test-jwt-secret",
        "API_KEY_PEPPER": "test-api-key-pepper",
        "ALERT_FROM_EMAIL": "alerts@example.com",
        **{name.upper(): value for name, value in resource_names(prefix).items()},
    }


def aws_settings(servers: AwsServers, prefix: str, **overrides: Any) -> Settings:
    """Settings for the aws backend on these servers (init values win over `.env`)."""
    values: dict[str, Any] = {
        "storage_backend": "aws",
        "aws_region": REGION,
        "aws_endpoint_url_dynamodb": servers.dynamodb_url,
        "aws_endpoint_url_s3": servers.moto_url,
        "aws_endpoint_url_ses": servers.moto_url,
        "aws_endpoint_url_sns": servers.moto_url,
        "jwt_secret": "test-jwt-secret",
        "api_key_pepper": "test-api-key-pepper",
        "alert_from_email": "alerts@example.com",
        **resource_names(prefix),
        **overrides,
    }
    return Settings(**values)
