"""Requests and files seen before, in SQLite: Idempotency-Key records and recent files.

Both expire; each write first sweeps what has expired (an indexed range delete), so the
tables hold about a day of traffic.
"""

import sqlite3

from pydantic import TypeAdapter

from storage.local.database import Database
from storage.records import IdempotencyRecord, MeterSpan, RecentFile

SPANS = TypeAdapter(list[MeterSpan])


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
        self._db.run("DELETE FROM idempotency_keys WHERE app_id = ? AND key = ?", [app_id, key])

    def delete_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM idempotency_keys WHERE app_id = ?", [app_id])


class SqliteRecentFiles:
    def __init__(self, database: Database) -> None:
        self._db = database

    def claim(
        self, app_id: str, digest: str, held: RecentFile, now: int, replacing: str | None = None
    ) -> RecentFile | None:
        with self._db.writing() as connection:
            _sweep(connection, "recent_files", now)
            row = connection.execute(
                "SELECT upload_id, expires_at, spans FROM recent_files"
                " WHERE app_id = ? AND digest = ?",
                (app_id, digest),
            ).fetchone()
            holder = _recent_file(*row) if row else None
            if holder is not None and holder.expires_at > now and holder.upload_id != replacing:
                return holder
            _put_recent(connection, app_id, digest, held)
        return None

    def remember(self, app_id: str, digest: str, held: RecentFile) -> None:
        with self._db.writing() as connection:
            if _holder(connection, app_id, digest) == held.upload_id:
                _put_recent(connection, app_id, digest, held)

    def release(self, app_id: str, digest: str, upload_id: str) -> None:
        self._db.run(
            "DELETE FROM recent_files WHERE app_id = ? AND digest = ? AND upload_id = ?",
            [app_id, digest, upload_id],
        )

    def delete_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM recent_files WHERE app_id = ?", [app_id])


def _holder(connection: sqlite3.Connection, app_id: str, digest: str) -> str | None:
    row = connection.execute(
        "SELECT upload_id FROM recent_files WHERE app_id = ? AND digest = ?", (app_id, digest)
    ).fetchone()
    return row[0] if row else None


def _put_recent(connection: sqlite3.Connection, app_id: str, digest: str, held: RecentFile) -> None:
    spans = None if held.spans is None else SPANS.dump_json(held.spans).decode()
    connection.execute(
        "INSERT OR REPLACE INTO recent_files (app_id, digest, upload_id, expires_at, spans)"
        " VALUES (?, ?, ?, ?, ?)",
        (app_id, digest, held.upload_id, held.expires_at, spans),
    )


def _recent_file(upload_id: str, expires_at: int, spans: str | None) -> RecentFile:
    return RecentFile(
        upload_id=upload_id,
        expires_at=expires_at,
        spans=None if spans is None else SPANS.validate_json(spans),
    )


def _put(connection: sqlite3.Connection, record: IdempotencyRecord) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO idempotency_keys (app_id, key, expires_at, doc)"
        " VALUES (?, ?, ?, ?)",
        (record.app_id, record.key, record.expires_at, record.model_dump_json()),
    )


def _sweep(connection: sqlite3.Connection, table: str, now: int) -> None:
    """Table names are constants."""
    connection.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (now,))  # noqa: S608
