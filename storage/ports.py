"""The ports: what services need from storage. Each backend provides one adapter per port."""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from storage.records import (
    Admission,
    Alert,
    AlertMessage,
    ApiKey,
    Application,
    AuditEvent,
    ChannelName,
    IdempotencyRecord,
    Lease,
    MeterSpan,
    Page,
    RangeTotals,
    Reading,
    ReadingCounts,
    ReadingQuery,
    ReadingRow,
    RecentFile,
    Upload,
    User,
    Window,
)


class Users(Protocol):
    def add(self, user: User) -> None:
        """Create the user; raises AlreadyExists when the email is taken."""

    def find_by_email(self, email: str) -> User | None: ...

    def replace(self, user: User) -> None:
        """Store the user's record anew (a password hash made with newer parameters)."""


class RevokedTokens(Protocol):
    def add(self, token_id: str, expires_at: int) -> None:
        """Refuse `token_id` until the epoch second `expires_at`."""

    def contains(self, token_id: str) -> bool: ...


class Applications(Protocol):
    def put(self, app: Application) -> None: ...

    def get(self, app_id: str) -> Application | None: ...

    def list_by_owner(self, owner_id: str) -> list[Application]:
        """Oldest first."""

    def delete(self, app_id: str) -> None: ...


class ApiKeys(Protocol):
    def add(self, key: ApiKey) -> None: ...

    def find_by_hash(self, key_hash: str) -> ApiKey | None: ...

    def list_for_app(self, app_id: str) -> list[ApiKey]:
        """Oldest first."""

    def revoke(self, app_id: str, key_id: str, at: str) -> bool:
        """Mark the key revoked; False when the application has no such key."""

    def expire(self, app_id: str, key_id: str, at: str) -> bool:
        """Make the key stop at `at` unless it stops earlier; False when the application has
        no such key or it stops earlier already."""

    def touch(self, app_id: str, key_id: str, at: str) -> None: ...

    def delete_for_app(self, app_id: str) -> None: ...


class AuditLog(Protocol):
    def add(self, event: AuditEvent) -> None: ...

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[AuditEvent]:
        """Newest first."""

    def delete_app(self, app_id: str) -> None: ...


class RequestCounters(Protocol):
    """Requests made with each limited key, counted where every instance and worker sees them."""

    def admit(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission:
        """Count one request in every window, all or none: only when each is below its limit.
        Exact when many processes count one key at once; a window not seen before starts at 0."""

    def admit_now(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission | None:
        """`admit` when it can answer without waiting on I/O or another writer (a local file
        nobody is writing), for a caller on an event loop; None when it cannot."""

    def counts(self, app_id: str, key_id: str, windows: Sequence[Window]) -> tuple[int, ...]:
        """Each window's count so far, counting nothing."""

    def delete_app(self, app_id: str) -> None: ...


class Uploads(Protocol):
    def put(self, upload: Upload) -> None:
        """Create or replace."""

    def get(self, app_id: str, upload_id: str) -> Upload | None: ...

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Upload]:
        """Newest first."""

    def list_unfinished(self) -> list[Upload]:
        """Uploads of every application still queued or processing, to resume after a crash."""

    def delete(self, app_id: str, upload_id: str) -> None: ...

    def delete_app(self, app_id: str) -> None:
        """Forget every upload record of the application."""

    def finished_before(self, created_before: str, limit: int) -> list[Upload]:
        """Up to `limit` finished uploads of any application created before that moment, for
        the retention sweep. The aws backend answers none: DynamoDB's TTL and the bucket's
        lifecycle rule delete them there."""


class IdempotencyKeys(Protocol):
    """Requests made under an Idempotency-Key, and the first answer to each."""

    def claim(self, record: IdempotencyRecord, now: int) -> IdempotencyRecord | None:
        """Keep `record` unless a live record holds its key (see `IdempotencyRecord.live`);
        that one is returned and nothing is written. Atomic across instances."""

    def answer(self, record: IdempotencyRecord) -> None:
        """Store the record with its answer, replacing the claim."""

    def release(self, app_id: str, key: str) -> None:
        """Drop an unanswered claim, so that a retry runs the request again."""

    def delete_app(self, app_id: str) -> None: ...


class RecentFiles(Protocol):
    """Which upload holds each recent file (its content digest), for spotting repeats."""

    def claim(
        self, app_id: str, digest: str, held: RecentFile, now: int, replacing: str | None = None
    ) -> RecentFile | None:
        """Hold the digest with `held` unless a live record (expiring after `now`) holds it for
        an upload other than `replacing`: that record is returned and nothing is written.
        Atomic across instances."""

    def remember(self, app_id: str, digest: str, held: RecentFile) -> None:
        """Replace the record of the digest, only while it is held by `held.upload_id`."""

    def release(self, app_id: str, digest: str, upload_id: str) -> None:
        """Drop the record of the digest, only while it is held by `upload_id`."""

    def delete_app(self, app_id: str) -> None: ...


class Leases(Protocol):
    """Who does which piece of work for now, seen alike by every instance and worker."""

    def claim(self, lease: Lease, now: int, replacing: str | None = None) -> Lease | None:
        """Hold `lease` unless another owner (other than `replacing`) holds its name past
        `now`: that holder is returned and nothing is written. Claiming one's own lease again
        renews it. Atomic across instances."""

    def release(self, name: str, owner: str) -> None:
        """Drop the lease, only while `owner` holds it."""


class ReadingWriter(Protocol):
    """Merges the readings of one upload into the store (see `Readings.writer`)."""

    def add(self, readings: Sequence[ReadingRow]) -> None:
        """Merge the readings; a backend may hold some of them until `finish`."""

    def finish(self) -> ReadingCounts:
        """Write whatever is held; what every reading added did to the store."""


class Readings(Protocol):
    def writer(self, app_id: str, version: int) -> ReadingWriter:
        """A writer of readings made under `version` (a later upload has a higher one).

        Per (meter, timestamp): a reading not stored is added; one equal to the stored value
        changes nothing; a different one replaces the stored value unless a higher version
        wrote it. Concurrent writers therefore end as if they had run in version order.
        """

    def changed_since(self, app_id: str, spans: Sequence[MeterSpan], version: int) -> bool:
        """Whether any reading within the spans (each meter's, bounds inclusive) now holds a
        value that a version higher than `version` wrote."""

    def query(self, query: ReadingQuery) -> Page[Reading]:
        """Oldest first; by timestamp then meter when no meter is given; bounds inclusive."""

    def totals(self, app_id: str, meter_id: str | None, edges: Sequence[str]) -> RangeTotals:
        """Totals of one meter in each bucket [edges[i], edges[i + 1]), or without a meter,
        of the consumption meters summed, and each channel's total over the whole range.

        `edges` are ascending UTC texts; there is one total per bucket, empty ones included.
        """

    def delete_app(self, app_id: str) -> None:
        """Delete every reading of the application, in pieces that never block others long."""


class Meters(Protocol):
    """The meters of each application with the span of their readings, for listing them."""

    def widen(self, app_id: str, spans: Sequence[MeterSpan]) -> None:
        """Record the meters, extending each one's first and last timestamps to cover `spans`."""

    def list(self, app_id: str, limit: int, cursor: str | None) -> Page[MeterSpan]:
        """By meter id."""

    def delete_app(self, app_id: str) -> None: ...


class Alerts(Protocol):
    def add(self, alert: Alert) -> bool:
        """Create unless an alert with this id exists; False when it already did."""

    def put(self, alert: Alert) -> None: ...

    def get(self, app_id: str, alert_id: str) -> Alert | None: ...

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Alert]:
        """Newest first."""

    def list_with_failed_deliveries(self) -> list[Alert]: ...

    def delete_app(self, app_id: str) -> None: ...


class Objects(Protocol):
    def put_file(self, key: str, source: Path, sha256: str) -> None:
        """Store durably; returns only once the object is safe."""

    def fetch(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A readable binary stream of the object, closed on exit."""

    def delete(self, key: str) -> None:
        """Remove the object; nothing happens when it is missing."""

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object whose key starts with `prefix` (a folder, ending in `/`)."""


class Purges(Protocol):
    """Applications whose data is still being deleted, so that a restart finishes the job."""

    def add(self, app_id: str) -> None: ...

    def remove(self, app_id: str) -> None: ...

    def list(self) -> list[str]: ...


class AlertChannel(Protocol):
    """One way of telling people about an alert: email, SNS or the log."""

    name: ChannelName

    def targets(self, app: Application) -> list[str]:
        """Where this channel sends the application's alerts; empty when it has none."""

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        """Deliver, or raise DeliveryFailed (to retry) or DeliverySkipped, saying why."""


@dataclass(frozen=True)
class Storage:
    """Every port of one backend, plus its lifecycle."""

    backend: str
    location: str  # where the data lives, in words for the startup log line
    users: Users
    revoked_tokens: RevokedTokens
    applications: Applications
    api_keys: ApiKeys
    uploads: Uploads
    leases: Leases
    idempotency_keys: IdempotencyKeys
    recent_files: RecentFiles
    readings: Readings
    meters: Meters
    alerts: Alerts
    objects: Objects
    purges: Purges
    request_counters: RequestCounters
    audit: AuditLog
    alert_channels: Sequence[AlertChannel]
    lifecycle: "Lifecycle"


class Lifecycle(Protocol):
    def prepare(self) -> None:
        """Create tables, buckets and folders when missing; idempotent and safe to race."""

    def check(self) -> dict[str, str]:
        """Reachability of each dependency; raises StorageUnavailable when one is down."""

    def close(self) -> None: ...
