"""The DynamoDB tables and their indexes (README, DynamoDB tables), created when missing."""

import time
from dataclasses import dataclass, fields
from typing import Any

from botocore.exceptions import ClientError

from settings import Settings
from storage.aws.errors import GuardedClient, error_code
from storage.errors import StorageUnavailable

APPLICATION_ID_INDEX = "application_id-index"
OWNER_INDEX = "owner_id-index"
KEY_HASH_INDEX = "key_hash-index"
USAGE_BY_DAY_INDEX = "app_id-day_meter-index"
UNFINISHED_INDEX = "unfinished-index"
FAILED_DELIVERIES_INDEX = "failed_deliveries-index"
PENDING_PURGES_INDEX = "pending-index"

PROVISIONED_THROUGHPUT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
ACTIVE_TIMEOUT_SECONDS = 120.0
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]
    # Besides the keys, the attributes the index keeps; None keeps them all.
    projected: tuple[str, ...] | None = None

    def projection(self) -> dict[str, Any]:
        if self.projected is None:
            return {"ProjectionType": "ALL"}
        return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(self.projected)}


@dataclass(frozen=True)
class TableDefinition:
    """Every key attribute is a string; `keys` is the partition key, then the sort key if any."""

    name: str
    keys: tuple[str, ...]
    indexes: tuple[Index, ...] = ()
    expires_attribute: str | None = None

    def create_request(self, billing_mode: str) -> dict[str, Any]:
        capacity = (
            {"ProvisionedThroughput": PROVISIONED_THROUGHPUT}
            if billing_mode == "PROVISIONED"
            else {}
        )
        attributes = sorted({*self.keys, *(key for index in self.indexes for key in index.keys)})
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeySchema": _key_schema(self.keys),
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in attributes
            ],
            "BillingMode": billing_mode,
            **capacity,
        }
        if self.indexes:
            request["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": _key_schema(index.keys),
                    "Projection": index.projection(),
                    **capacity,
                }
                for index in self.indexes
            ]
        return request


def _key_schema(keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {"AttributeName": name, "KeyType": kind}
        for name, kind in zip(keys, ("HASH", "RANGE"), strict=False)
    ]


@dataclass(frozen=True)
class Schema:
    users: TableDefinition
    revoked_tokens: TableDefinition
    applications: TableDefinition
    api_keys: TableDefinition
    usage: TableDefinition
    uploads: TableDefinition
    alerts: TableDefinition
    purges: TableDefinition
    meters: TableDefinition
    idempotency_keys: TableDefinition
    recent_files: TableDefinition
    request_counts: TableDefinition
    audit: TableDefinition
    leases: TableDefinition

    @classmethod
    def from_settings(cls, settings: Settings) -> "Schema":
        return cls(
            users=TableDefinition(settings.users_table, ("email",)),
            revoked_tokens=TableDefinition(
                settings.revoked_tokens_table, ("token_id",), expires_attribute="expires_at"
            ),
            applications=TableDefinition(
                settings.applications_table,
                ("id",),
                (
                    Index(APPLICATION_ID_INDEX, ("application_id",)),
                    Index(OWNER_INDEX, ("owner_id", "id")),
                ),
            ),
            api_keys=TableDefinition(
                settings.api_keys_table, ("app_id", "id"), (Index(KEY_HASH_INDEX, ("key_hash",)),)
            ),
            usage=TableDefinition(
                settings.usage_table,
                ("pk", "timestamp"),
                (
                    Index(
                        USAGE_BY_DAY_INDEX, ("app_id", "day_meter"), projected=("r", "n", "s", "mx")
                    ),
                ),
            ),
            uploads=TableDefinition(
                settings.uploads_table,
                ("app_id", "upload_id"),
                (Index(UNFINISHED_INDEX, ("unfinished",)),),
                # Only finished uploads carry it, and only with RETENTION_DAYS.
                expires_attribute="expires_at" if settings.retention_days else None,
            ),
            alerts=TableDefinition(
                settings.alerts_table,
                ("app_id", "alert_id"),
                (Index(FAILED_DELIVERIES_INDEX, ("failed_deliveries",)),),
            ),
            # Every item is pending; the index on one constant lists them without a Scan.
            purges=TableDefinition(
                settings.purges_table, ("app_id",), (Index(PENDING_PURGES_INDEX, ("pending",)),)
            ),
            meters=TableDefinition(settings.meters_table, ("app_id", "meter_id")),
            idempotency_keys=TableDefinition(
                settings.idempotency_keys_table, ("app_id", "key"), expires_attribute="expires_at"
            ),
            recent_files=TableDefinition(
                settings.recent_files_table, ("app_id", "digest"), expires_attribute="expires_at"
            ),
            audit=TableDefinition(settings.audit_table, ("app_id", "event_id")),
            request_counts=TableDefinition(
                settings.request_counts_table, ("app_id", "key_id"), expires_attribute="expires_at"
            ),
            leases=TableDefinition(
                settings.leases_table, ("name",), expires_attribute="expires_at"
            ),
        )

    def tables(self) -> list[TableDefinition]:
        return [getattr(self, field.name) for field in fields(self)]


def create_tables(client: GuardedClient, schema: Schema, billing_mode: str) -> None:
    """Create the missing tables, then wait for all; safe when other instances do the same."""
    for table in schema.tables():
        _create_if_missing(client, table, billing_mode)
    # Tables become ACTIVE in parallel on the service side, so one deadline covers them all.
    deadline = time.monotonic() + ACTIVE_TIMEOUT_SECONDS
    for table in schema.tables():
        _wait_until_active(client, table.name, deadline)
        if table.expires_attribute:
            _enable_expiry(client, table.name, table.expires_attribute)


def _create_if_missing(client: GuardedClient, table: TableDefinition, billing_mode: str) -> None:
    try:
        client.expecting("ResourceNotFoundException").describe_table(TableName=table.name)
        return
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
    try:
        client.create_table(**table.create_request(billing_mode))
    except ClientError as error:
        # Another instance created it between our DescribeTable and CreateTable.
        if error_code(error) != "ResourceInUseException":
            raise


def _wait_until_active(client: GuardedClient, name: str, deadline: float) -> None:
    while not _is_active(client.describe_table(TableName=name)["Table"]):
        if time.monotonic() > deadline:
            raise StorageUnavailable(f"DynamoDB table {name} did not become ACTIVE in time")
        time.sleep(POLL_SECONDS)


def _is_active(description: dict[str, Any]) -> bool:
    indexes = description.get("GlobalSecondaryIndexes", [])
    return description["TableStatus"] == "ACTIVE" and all(
        index["IndexStatus"] == "ACTIVE" for index in indexes
    )


def _enable_expiry(client: GuardedClient, name: str, attribute: str) -> None:
    """Best effort: readers check the expiry themselves, so TTL only keeps the table small."""
    try:
        described = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if described.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute},
        )
    except ClientError:
        # DynamoDB Local and some emulators lack TTL; a racing instance may have enabled it.
        return
