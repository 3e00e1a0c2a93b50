"""What only the aws backend promises, checked on DynamoDB Local and moto through boto3."""

import hashlib
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from botocore.client import BaseClient

from storage.aws.day_items import writers
from storage.aws.table import Table
from storage.cursors import encode_cursor
from storage.errors import DeliveryFailed, DeliverySkipped, InvalidCursor, StorageUnavailable
from storage.ports import AlertChannel, Storage
from storage.records import AlertMessage, Reading, ReadingCounts, ReadingQuery
from tests.aws_servers import (
    AwsServers,
    OpenAws,
    moto_server,
    new_prefix,
    resource_names,
    server_client,
)
from tests.contract.readings import read_all, write
from tests.contract.test_readings import at, one_second_day
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
    "usage_table": (["pk", "timestamp"], {"app_id-day_meter-index": ["app_id", "day_meter"]}),
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
        kind == ("INCLUDE" if name.endswith("day_meter-index") else "ALL")
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


def test_an_unreachable_endpoint_is_unavailable_quickly(open_aws: OpenAws) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    endpoints = {f"aws_endpoint_url_{service}": nowhere for service in ("dynamodb", "s3", "ses")}
    storage = open_aws(**endpoints)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        storage.lifecycle.check()
    with pytest.raises(StorageUnavailable):
        storage.users.find_by_email("a@example.com")
    with pytest.raises(StorageUnavailable), storage.objects.fetch("uploads/app-1/up_1/a.csv"):
        pass
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


# The raw items of one partition (`app_id#meter_id`) of the usage table, in key order.
UsageItems = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def usage(open_aws: OpenAws, aws_servers: AwsServers) -> tuple[Storage, UsageItems]:
    """An aws backend, and a look at its usage table's items as DynamoDB holds them."""
    prefix = new_prefix()
    storage = open_aws(prefix)
    storage.lifecycle.prepare()
    table = resource_names(prefix)["usage_table"]
    dynamodb = server_client("dynamodb", aws_servers.dynamodb_url)

    def items(partition: str) -> list[dict[str, Any]]:
        pages = dynamodb.get_paginator("query").paginate(
            TableName=table,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": partition}},
            ConsistentRead=True,
        )
        return [item for page in pages for item in page["Items"]]

    return storage, items


def item_bytes(item: dict[str, Any]) -> int:
    """At least DynamoDB's size of the item: names plus values (a number's text is longer than
    the bytes DynamoDB counts for it)."""
    return sum(len(name) + len(next(iter(value.values()))) for name, value in item.items())


def test_a_day_of_quarter_hours_is_one_item_under_a_kilobyte(
    usage: tuple[Storage, UsageItems],
) -> None:
    storage, items = usage
    values = random.Random(7)
    rows = [Reading("meter-0001", at(n * 900), round(values.uniform(0, 1), 3)) for n in range(96)]
    assert write(storage, "app-1", rows) == ReadingCounts(new=96)
    (item,) = items("app-1#meter-0001")
    assert set(item) == {"pk", "timestamp", "app_id", "day_meter", "r", "n", "s", "mx", "v"}
    assert item["timestamp"] == {"S": "2024-03-01T00:00:00Z"}
    assert item["day_meter"] == {"S": "2024-03-01T00:00:00Z#meter-0001"}
    assert (item["n"], item["v"]) == ({"N": "96"}, {"N": "1"})
    assert float(item["mx"]["N"]) == max(r.kwh for r in rows)
    assert item_bytes(item) < 1024
    assert len(item["r"]["B"]) < 3 * 96 + 100
    # A second write of other values is a new version of the same item.
    write(storage, "app-1", [Reading("meter-0001", at(0), 5.0)], version=2)
    (item,) = items("app-1#meter-0001")
    assert (item["v"], writers(item["r"]["B"])) == ({"N": "2"}, [1, 2])


def test_a_day_too_big_for_one_item_is_split_into_hour_parts(
    usage: tuple[Storage, UsageItems],
) -> None:
    storage, items = usage
    rows = one_second_day()
    write(storage, "app-1", rows)
    day, *parts = items("app-1#m")
    assert day == {
        "pk": {"S": "app-1#m"},
        "timestamp": {"S": "2024-03-01T00:00:00Z"},
        "app_id": {"S": "app-1"},
        "day_meter": {"S": "2024-03-01T00:00:00Z#m"},
        "parts": {"N": "1"},
        "v": {"N": "1"},
    }
    hours = [f"2024-03-01T00:00:00Z#{hour:02d}" for hour in range(24)]
    assert [part["timestamp"]["S"] for part in parts] == hours
    assert {part["n"]["N"] for part in parts} == {"3600"}
    assert all(part["day_meter"] == day["day_meter"] for part in parts)
    assert max(len(part["r"]["B"]) for part in parts) < 100_000
    # Once split, a day stays split: a later write changes only the parts it touches.
    assert write(storage, "app-1", [Reading("m", at(5 * 3600 + 7), 0.5)], version=2) == (
        ReadingCounts(replaced=1)
    )
    after, *later = items("app-1#m")
    assert after == day
    assert [part["timestamp"]["S"] for part in later if part not in parts] == [hours[5]]
    assert later[5]["v"] == {"N": "2"}
    assert read_all(storage, ReadingQuery("app-1", "m", at(5 * 3600 + 7), at(5 * 3600 + 7))) == [
        Reading("m", at(5 * 3600 + 7), 0.5)
    ]
    storage.readings.delete_app("app-1")
    assert items("app-1#m") == []


def test_writers_racing_on_a_day_as_it_splits_lose_nothing(
    usage: tuple[Storage, UsageItems], monkeypatch: pytest.MonkeyPatch
) -> None:
    storage, items = usage
    # Every few thousand readings each writer merges into the one growing day, which splits
    # part way through, while the other writer does the same.
    monkeypatch.setattr("storage.aws.readings.HOLD_READINGS", 3_000)
    rows = {
        version: [Reading("m", r.timestamp, r.kwh) for r in one_second_day(seed=version)[:21_600]]
        for version in (1, 2)
    }
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(version: int) -> None:
        try:
            writer = storage.readings.writer("app-1", version)
            start.wait()
            for piece in range(0, len(rows[version]), 1_000):
                writer.add(rows[version][piece : piece + 1_000])
            writer.finish()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(version,)) for version in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert read_all(storage, ReadingQuery("app-1", "m", limit=10_000)) == rows[2]
    day, *parts = items("app-1#m")
    assert "parts" in day
    assert len(parts) == 6


@pytest.mark.parametrize("size", [96, 86_400], ids=["one-item", "split"])
def test_a_writer_whose_read_went_stale_merges_again(
    usage: tuple[Storage, UsageItems], monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    storage, items = usage
    rows = one_second_day()[:: 86_400 // size]
    newer = Reading("m", rows[5].timestamp, 9.0)
    read_many = Table.get_many
    interrupted: list[bool] = []

    def then_another_writes(table: Table, keys: Any, pool: Any = None) -> list[dict[str, Any]]:
        found = read_many(table, keys, pool)
        if not interrupted:  # once, between the first writer's read and its write
            interrupted.append(True)
            assert write(storage, "app-1", [newer], version=2) == ReadingCounts(new=1)
        return found

    monkeypatch.setattr(Table, "get_many", then_another_writes)
    assert write(storage, "app-1", rows) == ReadingCounts(new=size - 1, unchanged=1)
    assert read_all(storage, ReadingQuery("app-1", "m", limit=100_000)) == [
        *rows[:5],
        newer,
        *rows[6:],
    ]
    assert ("parts" in items("app-1#m")[0]) == (size > 96)


def test_a_day_that_keeps_changing_is_unavailable(
    aws_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.aws.table.BACKOFF_CAP_SECONDS", 0.001)
    monkeypatch.setattr(Table, "put_at_version", lambda *_: False)
    with pytest.raises(StorageUnavailable, match="kept changing through 10 attempts"):
        write(aws_storage, "app-1", [Reading("m", at(0), 1.0)])


def test_a_short_page_reads_few_items(
    aws_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    hours = [at(hour * 3600) for hour in range(365 * 24)]
    write(aws_storage, "app-1", [Reading(meter, h, 1.0) for meter in ("a", "b") for h in hours])
    read: list[int] = []
    call = BaseClient._make_api_call

    def counting(client: BaseClient, operation: str, request: dict[str, Any]) -> Any:
        response = call(client, operation, request)
        if operation == "Query":
            read.append(len(response["Items"]))
        return response

    monkeypatch.setattr(BaseClient, "_make_api_call", counting)
    for meter_id in ("a", None):
        read.clear()
        page = aws_storage.readings.query(ReadingQuery("app-1", meter_id, hours[100], limit=100))
        assert len(page.items) == 100
        assert sum(read) <= 20, meter_id


def test_a_cursor_must_name_a_stored_timestamp(aws_storage: Storage) -> None:
    write(aws_storage, "app-1", [Reading("m", at(hour * 3600), 1.0) for hour in range(6)])
    for position in (["2024-03-01", "m"], ["", "m"], ["2024-03-01T00:00:00Z#05", "m"]):
        for meter_id in ("m", None):
            with pytest.raises(InvalidCursor):
                aws_storage.readings.query(
                    ReadingQuery("app-1", meter_id, limit=2, cursor=encode_cursor(position))
                )


def test_the_writers_line_is_read_without_the_rest() -> None:
    versions = list(range(1_000, 1_300))
    lines = [",".join(map(str, versions)), "0", "1.0", "0"]
    assert writers(zlib.compress("\n".join(lines).encode())) == versions
