"""Energy readings in SQLite, keyed like the DynamoDB table: (app, meter, timestamp)."""

from collections.abc import Sequence
from itertools import pairwise, repeat
from operator import add
from typing import Any

from storage.buckets import Buckets
from storage.cursors import decode_cursor, encode_cursor
from storage.local.database import Database
from storage.records import (
    CHANNELS,
    MeterSpan,
    Page,
    RangeTotals,
    Reading,
    ReadingCounts,
    ReadingQuery,
    ReadingRow,
)

DELETE_CHUNK = 20_000
# A reading's channel, as storage.records.channel_of names it; GLOB, unlike LIKE, heeds case.
CHANNEL_OF_METER = (
    "CASE"
    + "".join(f" WHEN r.meter_id GLOB '*:{name}' THEN '{name}'" for name in CHANNELS)
    + " ELSE '' END"
)
# Deletes in chunks, each its own short transaction, so uploads of others never wait long.
DELETE_SOME = (
    "DELETE FROM readings WHERE app_id = ? AND (meter_id, timestamp) IN"
    " (SELECT meter_id, timestamp FROM readings WHERE app_id = ? LIMIT ?)"
)
ADD_NEW = (
    "INSERT OR IGNORE INTO readings (app_id, meter_id, timestamp, kwh, version)"
    " VALUES (?, ?, ?, ?, ?)"
)
# The same version may replace its own: the last of a file's readings of one time wins.
REPLACE_OLDER = (
    "UPDATE readings SET kwh = ?4, version = ?5"
    " WHERE app_id = ?1 AND meter_id = ?2 AND timestamp = ?3 AND version <= ?5 AND kwh IS NOT ?4"
)
CHANGED_SINCE = (
    "SELECT 1 FROM readings WHERE app_id = ? AND meter_id = ? AND timestamp BETWEEN ? AND ?"
    " AND version > ? LIMIT 1"
)


SUMMARY_BUCKETS = (
    "CREATE TEMP TABLE IF NOT EXISTS summary_buckets"
    " (i INTEGER PRIMARY KEY, lower TEXT NOT NULL, upper TEXT NOT NULL)"
)


class SqliteReadings:
    def __init__(self, database: Database) -> None:
        self._db = database

    def writer(self, app_id: str, version: int) -> "SqliteReadingWriter":
        return SqliteReadingWriter(self._db, app_id, version)

    def changed_since(self, app_id: str, spans: Sequence[MeterSpan], version: int) -> bool:
        with self._db.reading() as connection:
            return any(
                connection.execute(
                    CHANGED_SINCE,
                    (app_id, span.meter_id, span.first_timestamp, span.last_timestamp, version),
                ).fetchone()
                for span in spans
            )

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

    def totals(self, app_id: str, meter_id: str | None, edges: Sequence[str]) -> RangeTotals:
        """One index range scan a bucket, summed by SQLite per bucket and channel. The buckets
        go in a temporary table of the connection, in order, so SQLite groups the readings
        without sorting them; the transaction is rolled back, which leaves that table empty."""
        meter = "AND r.meter_id = ?" if meter_id is not None else ""
        channel = CHANNEL_OF_METER if meter_id is None else "''"
        sql = (
            f"SELECT b.i, {channel}, sum(r.kwh), max(r.kwh), count(*)"  # noqa: S608
            f" FROM temp.summary_buckets b JOIN readings r ON r.app_id = ? {meter}"
            " AND r.timestamp >= b.lower AND r.timestamp < b.upper GROUP BY b.i, 2"
        )
        totals = Buckets(edges)
        with self._db.reading() as connection:
            connection.execute(SUMMARY_BUCKETS)
            connection.execute("BEGIN")
            try:
                connection.executemany(
                    "INSERT INTO temp.summary_buckets VALUES (?, ?, ?)",
                    [(i, lower, upper) for i, (lower, upper) in enumerate(pairwise(edges))],
                )
                found = connection.execute(sql, [app_id, *filter(None, [meter_id])]).fetchall()
            finally:
                connection.execute("ROLLBACK")
        for index, channel_name, kwh, max_kwh, readings in found:
            totals.add(edges[index], kwh, max_kwh, readings, channel_name)
        return totals.range_totals()

    def delete_app(self, app_id: str) -> None:
        while True:
            with self._db.writing() as connection:
                deleted = connection.execute(DELETE_SOME, (app_id, app_id, DELETE_CHUNK)).rowcount
            if deleted < DELETE_CHUNK:
                return


class SqliteReadingWriter:
    """Writes each batch at once, in one transaction: new readings with one statement, and
    only when some were stored already, the replacements with a second."""

    def __init__(self, database: Database, app_id: str, version: int) -> None:
        self._db = database
        self._key = (app_id,)
        self._version = (version,)
        self._counts = ReadingCounts()

    def add(self, readings: Sequence[ReadingRow]) -> None:
        rows = list(map(add, map(add, repeat(self._key), readings), repeat(self._version)))
        with self._db.writing(durable=False) as connection:
            new = connection.executemany(ADD_NEW, rows).rowcount
            replaced = (
                connection.executemany(REPLACE_OLDER, rows).rowcount if new < len(rows) else 0
            )
        self._counts += ReadingCounts(
            new=new, replaced=replaced, unchanged=len(rows) - new - replaced
        )

    def finish(self) -> ReadingCounts:
        return self._counts


class SqliteMeters:
    def __init__(self, database: Database) -> None:
        self._db = database

    def widen(self, app_id: str, spans: Sequence[MeterSpan]) -> None:
        with self._db.writing() as connection:
            connection.executemany(
                "INSERT INTO meters (app_id, meter_id, first_timestamp, last_timestamp)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (app_id, meter_id) DO UPDATE SET"
                " first_timestamp = min(first_timestamp, excluded.first_timestamp),"
                " last_timestamp = max(last_timestamp, excluded.last_timestamp)",
                [(app_id, s.meter_id, s.first_timestamp, s.last_timestamp) for s in spans],
            )

    def list(self, app_id: str, limit: int, cursor: str | None) -> Page[MeterSpan]:
        after = decode_cursor(cursor, 1)[0] if cursor else ""
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT meter_id, first_timestamp, last_timestamp FROM meters"
                " WHERE app_id = ? AND meter_id > ? ORDER BY meter_id LIMIT ?",
                (app_id, after, limit + 1),
            ).fetchall()
        items = [MeterSpan(meter_id=m, first_timestamp=f, last_timestamp=t) for m, f, t in rows]
        next_cursor = encode_cursor([items[limit - 1].meter_id]) if len(items) > limit else None
        return Page(items=items[:limit], next_cursor=next_cursor)

    def delete_app(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM meters WHERE app_id = ?", (app_id,))
