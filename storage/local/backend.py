"""Assembles the local backend's adapters over one SQLite file and one objects folder."""

from pathlib import Path

from storage.channels.log import LogChannel
from storage.channels.skipped import SkippedChannel
from storage.channels.targets import email_targets, sns_targets
from storage.errors import StorageUnavailable
from storage.local.accounts import SqliteRevokedTokens, SqliteUsers
from storage.local.applications import SqliteApiKeys, SqliteApplications, SqlitePurges
from storage.local.audit import SqliteAuditLog
from storage.local.counters import SqliteRequestCounters
from storage.local.database import Database
from storage.local.leases import SqliteLeases
from storage.local.objects import FolderObjects
from storage.local.readings import SqliteMeters, SqliteReadings
from storage.local.repeats import SqliteIdempotencyKeys, SqliteRecentFiles
from storage.local.uploads import SqliteAlerts, SqliteUploads
from storage.ports import Storage

DATABASE_FILE = "wattkey.sqlite3"


def cloud_only(channel: str) -> str:
    return f"The local backend does not send {channel} alerts; use STORAGE_BACKEND=aws."


class LocalLifecycle:
    def __init__(self, database: Database, objects: FolderObjects) -> None:
        self._database = database
        self._objects = objects

    def prepare(self) -> None:
        self._objects.prepare()
        self._database.create_schema()

    def check(self) -> dict[str, str]:
        with self._database.reading() as connection:
            connection.execute("SELECT 1").fetchone()
        if not self._objects.root.is_dir():
            raise StorageUnavailable("the objects folder is missing")
        return {"sqlite": "ok", "objects": "ok"}

    def close(self) -> None:
        self._database.close()


def open_local_storage(data_dir: Path) -> Storage:
    database = Database(data_dir / DATABASE_FILE)
    objects = FolderObjects(data_dir / "objects")
    return Storage(
        backend="local",
        location=f"data in {data_dir.resolve()}",
        users=SqliteUsers(database),
        revoked_tokens=SqliteRevokedTokens(database),
        applications=SqliteApplications(database),
        api_keys=SqliteApiKeys(database),
        uploads=SqliteUploads(database),
        leases=SqliteLeases(database),
        idempotency_keys=SqliteIdempotencyKeys(database),
        recent_files=SqliteRecentFiles(database),
        readings=SqliteReadings(database),
        meters=SqliteMeters(database),
        alerts=SqliteAlerts(database),
        objects=objects,
        purges=SqlitePurges(database),
        request_counters=SqliteRequestCounters(database),
        audit=SqliteAuditLog(database),
        alert_channels=(
            LogChannel(),
            SkippedChannel("email", email_targets, cloud_only("email")),
            SkippedChannel("sns", sns_targets, cloud_only("SNS")),
        ),
        lifecycle=LocalLifecycle(database, objects),
    )
