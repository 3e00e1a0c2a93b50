"""What an end-to-end test needs to know of the backend behind the server it talks to."""

import sqlite3
from pathlib import Path
from typing import Any

from storage.aws.schema import USAGE_BY_DAY_INDEX
from tests.aws_servers import AwsServers, aws_env, new_prefix, server_client
from tests.support import ServerProcess


def local_env(data_dir: Path) -> dict[str, str]:
    return {"STORAGE_BACKEND": "local", "DATA_DIR": str(data_dir)}


def fresh_aws_env(servers: AwsServers, data_dir: Path) -> dict[str, str]:
    """An aws server on tables and a bucket of its own, with a verified SES sender."""
    env = aws_env(servers.dynamodb_url, servers.moto_url, new_prefix())
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


def stored_counts(server: ServerProcess, app_id: str) -> dict[str, int]:
    """What storage still holds of an application, read behind the server's back."""
    if server.env["STORAGE_BACKEND"] == "aws":
        return _aws_counts(server.env, app_id)
    return _local_counts(Path(server.env["DATA_DIR"]), app_id)


def _local_counts(data_dir: Path, app_id: str) -> dict[str, int]:
    with sqlite3.connect(data_dir / "wattkey.sqlite3") as database:
        counts = {
            table: database.execute(
                f"SELECT count(*) FROM {table} WHERE app_id = ?",
                (app_id,),
            ).fetchone()[0]
            for table in (
                "readings",
                "meters",
                "uploads",
                "alerts",
                "api_keys",
                "purges",
                "idempotency_keys",
                "recent_files",
            )
        }
    folder = data_dir / "objects" / "uploads" / app_id
    try:
        counts["objects"] = sum(1 for path in folder.rglob("*") if path.is_file())
    except FileNotFoundError:  # deleted while being counted
        counts["objects"] = 0
    return counts


def _aws_counts(env: dict[str, str], app_id: str) -> dict[str, int]:
    dynamodb = aws_client(env, "dynamodb")

    def count(table: str, index: str | None = None) -> int:
        request: dict[str, Any] = {
            "TableName": env[table],
            "KeyConditionExpression": "app_id = :a",
            "ExpressionAttributeValues": {":a": {"S": app_id}},
            "Select": "COUNT",
        }
        if index:
            request["IndexName"] = index
        total = 0
        while True:
            page = dynamodb.query(**request)
            total += int(page["Count"])
            if "LastEvaluatedKey" not in page:
                return total
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    purge = dynamodb.get_item(TableName=env["PURGES_TABLE"], Key={"app_id": {"S": app_id}})
    listing = aws_client(env, "s3").list_objects_v2(
        Bucket=env["S3_BUCKET"], Prefix=f"uploads/{app_id}/"
    )
    return {
        "readings": count("USAGE_TABLE", USAGE_BY_DAY_INDEX),
        "meters": count("METERS_TABLE"),
        "uploads": count("UPLOADS_TABLE"),
        "alerts": count("ALERTS_TABLE"),
        "api_keys": count("API_KEYS_TABLE"),
        "idempotency_keys": count("IDEMPOTENCY_KEYS_TABLE"),
        "recent_files": count("RECENT_FILES_TABLE"),
        "purges": int("Item" in purge),
        "objects": listing.get("KeyCount", 0),
    }
