"""The SQLite file: schema, one connection per thread, transactions, error translation."""

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from storage.errors import StorageUnavailable

Record = TypeVar("Record", bound=BaseModel)

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked_tokens (
    token_id TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    application_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_by_owner ON applications (owner_id, created_at);
-- An earlier version kept this index, which no query used.
DROP INDEX IF EXISTS applications_by_application_id;
CREATE TABLE IF NOT EXISTS api_keys (
    app_id TEXT NOT NULL,
    id TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    PRIMARY KEY (app_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
    app_id TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    unfinished INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (app_id, upload_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS uploads_unfinished ON uploads (unfinished) WHERE unfinished = 1;
CREATE TABLE IF NOT EXISTS readings (
    app_id TEXT NOT NULL,
    meter_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    kwh REAL NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app_id, meter_id, timestamp)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS readings_by_time ON readings (app_id, timestamp, meter_id);
CREATE TABLE IF NOT EXISTS alerts (
    app_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    failed_deliveries INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (app_id, alert_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_to_retry ON alerts (failed_deliveries)
    WHERE failed_deliveries = 1;
CREATE TABLE IF NOT EXISTS purges (
    app_id TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency_keys (
    app_id TEXT NOT NULL,
    key TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (app_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_keys_by_expiry ON idempotency_keys (expires_at);
CREATE TABLE IF NOT EXISTS recent_files (
    app_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    spans TEXT,
    PRIMARY KEY (app_id, digest)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recent_files_by_expiry ON recent_files (expires_at);
CREATE TABLE IF NOT EXISTS audit_events (
    app_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (app_id, event_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS key_counts (
    app_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    rate_w TEXT,
    rate_n INTEGER,
    quota_w TEXT,
    quota_n INTEGER,
    PRIMARY KEY (app_id, key_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meters (
    app_id TEXT NOT NULL,
    meter_id TEXT NOT NULL,
    first_timestamp TEXT NOT NULL,
    last_timestamp TEXT NOT NULL,
    PRIMARY KEY (app_id, meter_id)
) WITHOUT ROWID;
"""


def _add_column(table: str, column: str, definition: str) -> Callable[[sqlite3.Connection], None]:
    """A step adding a column, unless the table was created (by SCHEMA) with it already."""

    def step(connection: sqlite3.Connection) -> None:
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    return step


def _fill_meters(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT OR IGNORE INTO meters SELECT app_id, meter_id, min(timestamp), max(timestamp)"
        " FROM readings GROUP BY app_id, meter_id"
    )


# Each step brings a file of the version before it to the next (PRAGMA user_version), after
# SCHEMA has created the tables it lacked; a new file starts at the last version.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    # 1: the meters of readings stored before meters were kept.
    _fill_meters,
    # 2: which upload wrote each reading (0: one stored before versions were kept).
    _add_column("readings", "version", "INTEGER NOT NULL DEFAULT 0"),
    # 3: the meters a recent file's upload wrote, to tell whether they changed since.
    _add_column("recent_files", "spans", "TEXT"),
)


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # One writer at a time in this process: threads queue here instead of meeting
        # SQLite's busy timeout; other processes (more workers) still wait on busy_timeout.
        self._writer = threading.Lock()

    def create_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.writing() as connection:
            new = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        with self.reading() as connection:
            connection.executescript(SCHEMA)
        with self.writing() as connection:
            for step in () if new else MIGRATIONS[version:]:
                step(connection)
            connection.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._connection()
        except sqlite3.OperationalError as error:
            raise StorageUnavailable(f"SQLite: {error}") from error

    @contextmanager
    def writing(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction, taking the write lock up front so that it never deadlocks.

        `durable=False` skips the fsync of this commit. In WAL mode the next durable commit,
        from any connection, fsyncs the log and with it every commit before it: bulk writes
        use it when a durable commit always follows (readings, then their upload's record).
        """
        with self._writer, self.reading() as connection:
            if not durable:
                connection.execute("PRAGMA synchronous=NORMAL")
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield connection
                except BaseException:
                    connection.rollback()
                    raise
                connection.commit()
            finally:
                if not durable:
                    connection.execute("PRAGMA synchronous=FULL")

    def run(self, sql: str, parameters: Sequence[object] = ()) -> int:
        """One statement in a durable transaction of its own; the number of rows it changed."""
        with self.writing() as connection:
            return connection.execute(sql, parameters).rowcount

    def write_unsynced(
        self, sql: str, parameters: Sequence[object], wait: bool = True
    ) -> list[Any] | None:
        """One statement committed on its own without an fsync, and the rows it returns: for
        counts taken on every request, which a crash of the machine may lose a moment of.

        `wait=False` gives up at once (None) when another writer holds the file, so that a
        caller on the event loop never waits on one."""
        if not self._writer.acquire(blocking=wait):
            return None
        try:
            return self._unsynced(wait).execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if not wait and "locked" in str(error):  # another process writes: wait elsewhere
                return None
            raise StorageUnavailable(f"SQLite: {error}") from error
        finally:
            self._writer.release()

    def documents(
        self, model: type[Record], sql: str, parameters: Sequence[object] = ()
    ) -> list[Record]:
        """The records whose JSON the query's first column holds, in the query's order."""
        with self.reading() as connection:
            rows = connection.execute(sql, parameters).fetchall()
        return [model.model_validate_json(row[0]) for row in rows]

    def document(
        self, model: type[Record], sql: str, parameters: Sequence[object] = ()
    ) -> Record | None:
        """The first of `documents`, if any."""
        return next(iter(self.documents(model, sql, parameters)), None)

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def _unsynced(self, wait: bool) -> sqlite3.Connection:
        """This thread's connection for unsynced writes, one that waits on other processes'
        writers or one that does not."""
        name = "unsynced" if wait else "unsynced_now"
        connection: sqlite3.Connection | None = getattr(self._local, name, None)
        if connection is None:
            connection = self._open()
            connection.execute("PRAGMA synchronous=NORMAL")
            if not wait:
                connection.execute("PRAGMA busy_timeout=0")
            setattr(self._local, name, connection)
        return connection

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA busy_timeout=60000")
        with self._lock:
            self._opened.append(connection)
        return connection
