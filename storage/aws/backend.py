"""Assembles the aws backend's adapters over one boto3 session and one client per service."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from settings import Settings
from storage.aws.accounts import DynamoRevokedTokens, DynamoUsers
from storage.aws.applications import DynamoApiKeys, DynamoApplications, DynamoPurges
from storage.aws.counters import DynamoRequestCounters
from storage.aws.errors import GuardedClient, error_code
from storage.aws.leases import DynamoLeases
from storage.aws.objects import S3Objects
from storage.aws.readings import DynamoMeters, DynamoReadings
from storage.aws.repeats import DynamoIdempotencyKeys, DynamoRecentFiles
from storage.aws.schema import Schema, TableDefinition, create_tables
from storage.aws.table import Table
from storage.aws.uploads import DynamoAlerts, DynamoAuditLog, DynamoUploads
from storage.channels.aws import SnsChannel, email_channel
from storage.channels.log import LogChannel
from storage.errors import StorageUnavailable
from storage.ports import Storage

# Concurrent BatchWriteItem calls of one put_many: 1.3-1.5x a sequential loop on DynamoDB
# Local (CPU-bound on this side), more on the real service, where each call waits on the
# network. The connection pool holds them plus the request and ingest threads.
WRITE_THREADS = 8
MAX_POOL_CONNECTIONS = 50
Service = Literal["dynamodb", "s3", "ses", "sns"]


@dataclass(frozen=True)
class AwsClients:
    """One client per service, shared by every thread (boto3 clients are thread-safe).

    SES and SNS stay unguarded: alert channels report their failures as DeliveryFailed.
    The probes answer /health: one attempt, short timeouts, so an outage never hangs it.
    """

    dynamodb: GuardedClient
    s3: GuardedClient
    ses: Any
    sns: Any
    dynamodb_probe: GuardedClient
    s3_probe: GuardedClient

    @classmethod
    def create(cls, settings: Settings) -> "AwsClients":
        session = boto3.session.Session()
        working = Config(
            region_name=settings.aws_region,
            retries={"mode": "adaptive", "max_attempts": 5},
            connect_timeout=3,
            read_timeout=10,
            max_pool_connections=MAX_POOL_CONNECTIONS,
        )
        probing = Config(
            region_name=settings.aws_region,
            retries={"mode": "standard", "max_attempts": 1},
            connect_timeout=2,
            read_timeout=3,
        )

        def client(service: Service, config: Config = working) -> Any:
            endpoint = settings.endpoint_for(service)
            return session.client(service, endpoint_url=endpoint, config=config)

        # Our adapters build every DynamoDB request themselves and DynamoDB validates it again;
        # botocore's client-side check would cost ~40% of the client's CPU per ingested row.
        unchecked = working.merge(Config(parameter_validation=False))
        return cls(
            dynamodb=GuardedClient(client("dynamodb", unchecked), "DynamoDB"),
            s3=GuardedClient(client("s3"), "S3"),
            ses=client("ses"),
            sns=client("sns"),
            dynamodb_probe=GuardedClient(client("dynamodb", probing), "DynamoDB"),
            s3_probe=GuardedClient(client("s3", probing), "S3"),
        )

    def close(self) -> None:
        for client in (self.dynamodb, self.s3, self.ses, self.sns):
            client.close()
        self.dynamodb_probe.close()
        self.s3_probe.close()


class AwsLifecycle:
    def __init__(
        self,
        clients: AwsClients,
        schema: Schema,
        billing_mode: str,
        objects: S3Objects,
        pool: ThreadPoolExecutor,
    ) -> None:
        self._clients = clients
        self._dynamodb = clients.dynamodb
        self._schema = schema
        self._billing_mode = billing_mode
        self._objects = objects
        self._pool = pool

    def prepare(self) -> None:
        create_tables(self._dynamodb, self._schema, self._billing_mode)
        self._objects.prepare()

    def check(self) -> dict[str, str]:
        try:
            self._clients.dynamodb_probe.describe_table(TableName=self._schema.usage.name)
            self._clients.s3_probe.head_bucket(Bucket=self._objects.bucket)
        except ClientError as error:
            raise StorageUnavailable(f"AWS answered {error_code(error)}") from error
        return {"dynamodb": "ok", "s3": "ok"}

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._clients.close()


def open_aws_storage(settings: Settings) -> Storage:
    clients = AwsClients.create(settings)
    schema = Schema.from_settings(settings)
    pool = ThreadPoolExecutor(max_workers=WRITE_THREADS, thread_name_prefix="dynamodb-write")
    objects = S3Objects(
        clients.s3, settings.s3_bucket, settings.aws_region, settings.retention_days
    )

    def table(definition: TableDefinition) -> Table:
        return Table(clients.dynamodb, definition)

    return Storage(
        backend="aws",
        location=(
            f"DynamoDB at {settings.endpoint_for('dynamodb') or settings.aws_region}, "
            f"S3 bucket {settings.s3_bucket}"
        ),
        users=DynamoUsers(table(schema.users)),
        revoked_tokens=DynamoRevokedTokens(table(schema.revoked_tokens)),
        applications=DynamoApplications(table(schema.applications)),
        api_keys=DynamoApiKeys(table(schema.api_keys)),
        uploads=DynamoUploads(table(schema.uploads), settings.retention_days),
        leases=DynamoLeases(table(schema.leases)),
        idempotency_keys=DynamoIdempotencyKeys(table(schema.idempotency_keys)),
        recent_files=DynamoRecentFiles(table(schema.recent_files)),
        readings=DynamoReadings(table(schema.usage), pool),
        meters=DynamoMeters(table(schema.meters), pool),
        alerts=DynamoAlerts(table(schema.alerts)),
        objects=objects,
        purges=DynamoPurges(table(schema.purges)),
        request_counters=DynamoRequestCounters(table(schema.request_counts)),
        audit=DynamoAuditLog(table(schema.audit)),
        alert_channels=(
            LogChannel(),
            email_channel(clients.ses, settings.alert_from_email),
            SnsChannel(clients.sns),
        ),
        lifecycle=AwsLifecycle(clients, schema, settings.dynamodb_billing_mode, objects, pool),
    )
