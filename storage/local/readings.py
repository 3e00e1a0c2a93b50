"""Energy readings in SQLite, keyed like the DynamoDB table: (app, meter, timestamp)."""

from collections.abc import Sequence
from itertools import repeat
from operator import add
from typing import Any

from storage.cursors import decode_cursor, encode_cursor
from storage.local.database import Database
from storage.records import Page, Reading, ReadingQuery

DELETE_CHUNK = 20_000
# Deletes in chunks, each its own short transaction, so uploads of others never wait long.
DELETE_SOME = (
    "DELETE FROM readings WHERE app_id = ? AND (meter_id, timestamp) IN"
    " (SELECT meter_id, timestamp FROM readings WHERE app_id = ? LIMIT ?)"
)
UPSERT = (
    "INSERT INTO readings (app_id, meter_id, timestamp, kwh) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (app_id, meter_id, timestamp) DO UPDATE SET kwh = excluded.kwh"
)


class SqliteReadings:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put_many(self, app_id: str, readings: Sequence[Reading]) -> None:
        with self._db.writing(durable=False) as connection:
            connection.executemany(UPSERT, map(add, repeat((app_id,)), readings))

    def query(self, query: ReadingQuery) -> Page[Reading]:
        where = ["app_id = ?"]
        values: list[Any] = [query.app_id]
        if query.meter_id is not None:
            where.append("meter_id = ?")
            values.append(query.meter_id)
        if query.start is not None:
            where.append("timestamp >= ?")
            values.append(query.start)
        if query.end is not None:
            where.append("timestamp <= ?")
            values.append(query.end)
        if query.cursor:
            after = decode_cursor(query.cursor, 2)
            where.append("(timestamp, meter_id) > (?, ?)")
            values.extend(after)
        sql = (
            "SELECT meter_id, timestamp, kwh FROM readings WHERE "  # noqa: S608
            + " AND ".join(where)
            + " ORDER BY timestamp, meter_id LIMIT ?"
        )
        limit = query.limit
        with self._db.reading() as connection:
            rows = connection.execute(sql, [*values, limit + 1]).fetchall()
        items = [Reading(*row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            next_cursor = encode_cursor([items[-1].timestamp, items[-1].meter_id])
        return Page(items=items, next_cursor=next_cursor)

    def delete_app(self, app_id: str) -> None:
        while True:
            with self._db.writing() as connection:
                deleted = connection.execute(DELETE_SOME, (app_id, app_id, DELETE_CHUNK)).rowcount
            if deleted < DELETE_CHUNK:
                return
