"""What only the aws backend promises, checked on DynamoDB Local and moto through boto3."""

import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from storage.errors import DeliveryFailed, DeliverySkipped, InvalidCursor, StorageUnavailable
from storage.ports import AlertChannel, Storage
from storage.records import AlertMessage, Reading, ReadingQuery
from tests.aws_servers import (
    AwsServers,
    OpenAws,
    moto_server,
    new_prefix,
    resource_names,
    server_client,
)
from tests.contract.test_storage_contract import alert, application
from tests.support import free_port

# Table (by its settings name) -> key attributes and {index name: key attributes}.
PINNED_TABLES: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "users_table": (["email"], {}),
    "revoked_tokens_table": (["token_id"], {}),
    "applications_table": (
        ["id"],
        {"application_id-index": ["application_id"], "owner_id-index": ["owner_id", "id"]},
    ),
    "api_keys_table": (["app_id", "id"], {"key_hash-index": ["key_hash"]}),
    "usage_table": (["pk", "timestamp"], {"app_id-ts_meter-index": ["app_id", "ts_meter"]}),
    "uploads_table": (["app_id", "upload_id"], {"unfinished-index": ["unfinished"]}),
    "alerts_table": (["app_id", "alert_id"], {"failed_deliveries-index": ["failed_deliveries"]}),
}


def key_names(key_schema: list[dict[str, str]]) -> list[str]:
    return [element["AttributeName"] for element in key_schema]


def describe(dynamodb: Any, table: str) -> tuple[list[str], dict[str, list[str]]]:
    description = dynamodb.describe_table(TableName=table)["Table"]
    assert description["TableStatus"] == "ACTIVE"
    indexes = description.get("GlobalSecondaryIndexes", [])
    assert all(index["IndexStatus"] == "ACTIVE" for index in indexes)
    projections = {index["IndexName"]: index["Projection"]["ProjectionType"] for index in indexes}
    assert all(
        kind == ("INCLUDE" if name.endswith("ts_meter-index") else "ALL")
        for name, kind in projections.items()
    )
    return key_names(description["KeySchema"]), {
        index["IndexName"]: key_names(index["KeySchema"]) for index in indexes
    }


def channel(storage: Storage, name: str) -> AlertChannel:
    return next(channel for channel in storage.alert_channels if channel.name == name)


def test_tables_and_indexes_have_the_pinned_names(
    open_aws: OpenAws, aws_servers: AwsServers
) -> None:
    prefix = new_prefix()
    open_aws(prefix).lifecycle.prepare()
    names = resource_names(prefix)
    dynamodb = server_client("dynamodb", aws_servers.dynamodb_url)
    for setting, pinned in PINNED_TABLES.items():
        assert describe(dynamodb, names[setting]) == pinned, setting
    expiry = dynamodb.describe_time_to_live(TableName=names["revoked_tokens_table"])
    assert expiry["TimeToLiveDescription"]["AttributeName"] == "expires_at"


@pytest.mark.parametrize("billing_mode", ["PAY_PER_REQUEST", "PROVISIONED"])
def test_two_instances_preparing_at_once_both_succeed(open_aws: OpenAws, billing_mode: str) -> None:
    prefix = new_prefix()
    instances = [open_aws(prefix, dynamodb_billing_mode=billing_mode) for _ in range(2)]
    start = threading.Barrier(len(instances))
    failures: list[BaseException] = []

    def prepare(storage: Storage) -> None:
        start.wait()
        try:
            storage.lifecycle.prepare()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=prepare, args=(storage,)) for storage in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert all(storage.lifecycle.check() == {"dynamodb": "ok", "s3": "ok"} for storage in instances)


@pytest.mark.parametrize("size", [100, 9 * 1024 * 1024], ids=["small", "multipart"])
def test_objects_are_encrypted_with_their_sha256(
    open_aws: OpenAws, aws_servers: AwsServers, tmp_path: Path, size: int
) -> None:
    prefix = new_prefix()
    storage = open_aws(prefix)
    storage.lifecycle.prepare()
    source = tmp_path / "readings.csv"
    source.write_bytes(b"m,2025-01-01,1\n" * (size // 15))
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    key = "uploads/app-1/up_1/readings.csv"
    storage.objects.put_file(key, source, sha256)
    bucket = resource_names(prefix)["s3_bucket"]
    head = server_client("s3", aws_servers.moto_url).head_object(Bucket=bucket, Key=key)
    assert head["Metadata"] == {"sha256": sha256}
    assert head["ServerSideEncryption"] == "AES256"
    with storage.objects.fetch(key) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == sha256
    with pytest.raises(FileNotFoundError), storage.objects.fetch(key + ".missing"):
        pass


def test_put_many_keeps_the_last_of_duplicate_keys_in_one_batch(aws_storage: Storage) -> None:
    readings = [Reading(f"m{n % 2}", f"2025-01-01T00:00:{n % 10:02d}Z", n) for n in range(60)]
    aws_storage.readings.put_many("app-1", readings)
    stored = aws_storage.readings.query(ReadingQuery("app-1", limit=100)).items
    latest = {(r.meter_id, r.timestamp): float(r.kwh) for r in readings}
    assert len(stored) == 10
    assert {(r.meter_id, r.timestamp): r.kwh for r in stored} == latest


def test_a_cursor_outside_the_queried_range_is_invalid(
    aws_storage: Storage, aws_servers: AwsServers
) -> None:
    if not aws_servers.dynamodb_local:
        pytest.skip("moto does not check starting keys against the key condition")
    hours = [f"2025-01-01T{hour:02d}:00:00Z" for hour in range(6)]
    aws_storage.readings.put_many("app-1", [Reading("m", hour, 1.0) for hour in hours])
    for meter_id in ("m", None):
        first = aws_storage.readings.query(ReadingQuery("app-1", meter_id, limit=2))
        assert first.next_cursor
        with pytest.raises(InvalidCursor):
            aws_storage.readings.query(
                ReadingQuery("app-1", meter_id, hours[4], limit=2, cursor=first.next_cursor)
            )


def test_an_unreachable_endpoint_is_unavailable_quickly(open_aws: OpenAws) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    endpoints = {f"aws_endpoint_url_{service}": nowhere for service in ("dynamodb", "s3", "ses")}
    storage = open_aws(**endpoints)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        storage.lifecycle.check()
    with pytest.raises(StorageUnavailable):
        storage.users.find_by_email("a@example.com")
    with pytest.raises(StorageUnavailable):
        storage.objects.sha256_of("uploads/app-1/up_1/a.csv")
    # An alert that cannot be sent is recorded as failed; it must not fail the upload.
    with pytest.raises(DeliveryFailed, match="SES could not be used"):
        channel(storage, "email").send(alert("app-1", "al_1"), AlertMessage("s", "b"), "a@b.c")
    assert time.monotonic() - started < 10


@pytest.fixture(scope="module")
def alerts_moto() -> Iterator[str]:
    """A moto of its own: its /moto-api/data.json fails once it holds multipart S3 objects."""
    with moto_server() as url:
        yield url


def test_email_and_sns_alerts_reach_the_services(open_aws: OpenAws, alerts_moto: str) -> None:
    storage = open_aws(aws_endpoint_url_ses=alerts_moto, aws_endpoint_url_sns=alerts_moto)
    server_client("ses", alerts_moto).verify_email_identity(EmailAddress="alerts@example.com")
    topic = server_client("sns", alerts_moto).create_topic(Name=new_prefix() + "alerts")["TopicArn"]
    recipient = f"{new_prefix()}ops@example.com"
    app = application("owner").model_copy(
        update={"alert_emails": [recipient], "alert_sns_topic_arn": topic}
    )
    message = AlertMessage("Zähler über 1 kWh " + "x" * 200, "m  2025-01-01T00:00:00Z  2 kWh")
    for name in ("email", "sns"):
        sender = channel(storage, name)
        for target in sender.targets(app):
            sender.send(alert(app.id, "al_0001"), message, target)

    sent = httpx.get(f"{alerts_moto}/moto-api/data.json").json()
    emails = [m for m in sent["ses"]["Message"] if m["destinations"]["ToAddresses"] == [recipient]]
    assert [(e["source"], e["subject"], e["body"]) for e in emails] == [
        ("alerts@example.com", message.subject, message.body)
    ]
    (published,) = next(t for t in sent["sns"]["Topic"] if t["arn"] == topic)["sent_notifications"]
    subject, body = published[2], published[1]
    assert body == message.body
    assert subject.isascii()
    assert len(subject) == 100


def test_refused_deliveries_say_why(open_aws: OpenAws) -> None:
    storage = open_aws(alert_from_email=f"{new_prefix()}unverified@example.com")
    message = AlertMessage("subject", "body")
    with pytest.raises(DeliveryFailed, match="MessageRejected"):
        channel(storage, "email").send(alert("app-1", "al_0001"), message, "ops@example.com")
    missing_topic = "arn:aws:sns:us-east-1:123456789012:" + new_prefix() + "missing"
    with pytest.raises(DeliveryFailed, match=r"SNS refused the message \(NotFound\)"):
        channel(storage, "sns").send(alert("app-1", "al_0001"), message, missing_topic)


def test_email_is_skipped_without_a_sender(open_aws: OpenAws) -> None:
    email = channel(open_aws(alert_from_email=None), "email")
    with pytest.raises(DeliverySkipped, match="ALERT_FROM_EMAIL is not set"):
        email.send(alert("app-1", "al_0001"), AlertMessage("s", "b"), "ops@example.com")
