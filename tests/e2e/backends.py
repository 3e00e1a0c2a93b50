"""What an end-to-end test needs to know of the backend behind the server it talks to."""

from pathlib import Path
from typing import Any

from tests.aws_servers import AwsServers, aws_env, new_prefix, server_client
from tests.support import ServerProcess


def local_env(data_dir: Path) -> dict[str, str]:
    return {"STORAGE_BACKEND": "local", "DATA_DIR": str(data_dir), "LOG_FORMAT": "json"}


def fresh_aws_env(servers: AwsServers, data_dir: Path) -> dict[str, str]:
    """An aws server on tables and a bucket of its own, with a verified SES sender."""
    env = {**aws_env(servers.dynamodb_url, servers.moto_url, new_prefix()), "LOG_FORMAT": "json"}
    env["DATA_DIR"] = str(data_dir)
    aws_client(env, "ses").verify_email_identity(EmailAddress=env["ALERT_FROM_EMAIL"])
    return env


def aws_client(env: dict[str, str], service: str) -> Any:
    """A client of the test servers: DynamoDB (Local), and moto for every other service."""
    endpoint = env["AWS_ENDPOINT_URL_DYNAMODB" if service == "dynamodb" else "AWS_ENDPOINT_URL_S3"]
    return server_client(service, endpoint)


def stored_object(server: ServerProcess, key: str) -> tuple[bytes, str | None]:
    """The raw file a server kept under `key`, and the sha256 in its metadata."""
    if server.env["STORAGE_BACKEND"] == "aws":
        found = aws_client(server.env, "s3").get_object(Bucket=server.env["S3_BUCKET"], Key=key)
        return found["Body"].read(), found["Metadata"].get("sha256")
    path = Path(server.env["DATA_DIR"]) / "objects" / key
    metadata = path.with_name(path.name + ".metadata.json").read_text()
    return path.read_bytes(), metadata.split('"sha256": "')[1].split('"')[0]
