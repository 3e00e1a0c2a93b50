"""Requests and files seen before, in SQLite: Idempotency-Key records and recent files.

Both expire; each write first sweeps what has expired (an indexed range delete), so the
tables hold about a day of traffic.
"""

import sqlite3
import time

from storage.local.database import Database
from storage.records import IdempotencyRecord


class SqliteIdempotencyKeys:
    def __init__(self, database: Database) -> None:
        self._db = database

    def claim(self, record: IdempotencyRecord, now: int) -> IdempotencyRecord | None:
        with self._db.writing() as connection:
            _sweep(connection, "idempotency_keys", now)
            row = connection.execute(
                "SELECT doc FROM idempotency_keys WHERE app_id = ? AND key = ?",
                (record.app_id, record.key),
            ).fetchone()
            held = IdempotencyRecord.model_validate_json(row[0]) if row else None
            if held is not None and held.live(now):
                return held
            _put(connection, record)
        return None

    def answer(self, record: IdempotencyRecord) -> None:
        with self._db.writing() as connection:
            _put(connection, record)

    def release(self, app_id: str, key: str) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "DELETE FROM idempotency_keys WHERE app_id = ? AND key = ?", (app_id, key)
            )

    def delete_app(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM idempotency_keys WHERE app_id = ?", (app_id,))


class SqliteRecentFiles:
    def __init__(self, database: Database) -> None:
        self._db = database

    def remember(self, app_id: str, digest: str, upload_id: str, expires_at: int) -> None:
        with self._db.writing() as connection:
            _sweep(connection, "recent_files", int(time.time()))
            connection.execute(
                "INSERT OR REPLACE INTO recent_files (app_id, digest, upload_id, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (app_id, digest, upload_id, expires_at),
            )

    def find(self, app_id: str, digest: str, now: int) -> str | None:
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT upload_id FROM recent_files"
                " WHERE app_id = ? AND digest = ? AND expires_at > ?",
                (app_id, digest, now),
            ).fetchone()
        return row[0] if row else None

    def delete_app(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM recent_files WHERE app_id = ?", (app_id,))


def _put(connection: sqlite3.Connection, record: IdempotencyRecord) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO idempotency_keys (app_id, key, expires_at, doc)"
        " VALUES (?, ?, ?, ?)",
        (record.app_id, record.key, record.expires_at, record.model_dump_json()),
    )


def _sweep(connection: sqlite3.Connection, table: str, now: int) -> None:
    """Table names are constants."""
    connection.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))  # noqa: S608
