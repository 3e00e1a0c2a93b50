"""Energy readings: one item per (app, meter, timestamp), written with concurrent batches.

`pk` = `app_id#meter_id` with sort key `timestamp` serves one meter's range; the index on
`app_id` + `ts_meter` (`timestamp#meter_id`) serves every meter ordered by (timestamp, meter),
because stored timestamps all have the same length.
"""

from collections.abc import Sequence
from concurrent.futures import Executor

from storage.aws.schema import USAGE_BY_TIME_INDEX
from storage.aws.table import Item, KeyRange, Table
from storage.buckets import Buckets
from storage.cursors import decode_cursor
from storage.records import BucketTotal, MeterSpan, Page, Reading, ReadingQuery, ReadingRow

# "$" follows "#": every "{end}#{meter}" sorts below "{end}$", whatever the meter id holds.
AFTER_SEPARATOR = "$"
# A summary reads its range as this many slices at once: DynamoDB pages are sequential.
SUMMARY_SLICES = 8


class DynamoReadings:
    def __init__(self, table: Table, pool: Executor) -> None:
        self._table = table
        self._pool = pool

    def put_many(self, app_id: str, readings: Sequence[ReadingRow]) -> None:
        # One batch must not name a key twice, and concurrent batches must not race on a key:
        # keep only the last value of each key before splitting into batches.
        latest = {(meter_id, timestamp): kwh for meter_id, timestamp, kwh in readings}
        requests = [
            {"PutRequest": {"Item": _item(app_id, meter_id, timestamp, kwh)}}
            for (meter_id, timestamp), kwh in latest.items()
        ]
        self._table.write_all(requests, self._pool)

    def query(self, query: ReadingQuery) -> Page[Reading]:
        app_id, meter_id, start, end = query.app_id, query.meter_id, query.start, query.end
        after = decode_cursor(query.cursor, 2) if query.cursor else None
        if meter_id is None:
            where = KeyRange(
                "app_id",
                app_id,
                "ts_meter",
                f"{start}#" if start is not None else None,
                f"{end}{AFTER_SEPARATOR}" if end is not None else None,
            )
            start_key = _keys(app_id, after[1], after[0]) if after else None
            index: str | None = USAGE_BY_TIME_INDEX
        else:
            partition = f"{app_id}#{meter_id}"
            where = KeyRange("pk", partition, "timestamp", start, end)
            start_key = self._table.key(partition, after[0]) if after else None
            index = None
        items, next_cursor = self._table.query_page(
            where, query.limit, start_key, _position, index=index
        )
        return Page(items=[_reading(item) for item in items], next_cursor=next_cursor)

    def totals(self, app_id: str, meter_id: str | None, edges: Sequence[str]) -> list[BucketTotal]:
        """Every reading of the range, read in slices at once and added to its bucket here:
        DynamoDB does not sum."""
        buckets = Buckets(edges)
        step = max(1, -(-(len(edges) - 1) // SUMMARY_SLICES))
        slices = [
            (edges[at], edges[min(at + step, len(edges) - 1)])
            for at in range(0, len(edges) - 1, step)
        ]

        def add_slice(lower: str, upper: str) -> None:
            # Slices meet at bucket edges, so no two threads ever add to one bucket.
            for items in self._table.pages(
                *_range(app_id, meter_id, lower, upper), ("timestamp", "kwh")
            ):
                for item in items:
                    timestamp = item["timestamp"]["S"]
                    if timestamp < upper:
                        kwh = float(item["kwh"]["N"])
                        buckets.add(timestamp, kwh, kwh)

        list(self._pool.map(lambda bounds: add_slice(*bounds), slices))
        return buckets.totals

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange("app_id", app_id), USAGE_BY_TIME_INDEX, self._pool)


def _range(
    app_id: str, meter_id: str | None, lower: str, upper: str
) -> tuple[KeyRange, str | None]:
    """The readings from `lower` to `upper` (both inclusive) of one meter, or of every meter."""
    if meter_id is None:
        where = KeyRange("app_id", app_id, "ts_meter", f"{lower}#", f"{upper}{AFTER_SEPARATOR}")
        return where, USAGE_BY_TIME_INDEX
    return KeyRange("pk", f"{app_id}#{meter_id}", "timestamp", lower, upper), None


def _keys(app_id: str, meter_id: str, timestamp: str) -> Item:
    """The table's and the index's key attributes of one reading."""
    return {
        "pk": {"S": f"{app_id}#{meter_id}"},
        "timestamp": {"S": timestamp},
        "app_id": {"S": app_id},
        "ts_meter": {"S": f"{timestamp}#{meter_id}"},
    }


def _item(app_id: str, meter_id: str, timestamp: str, kwh: float) -> Item:
    # Built by hand, not with boto3's TypeSerializer: this is the ingest hot path. The meter is
    # not stored again on its own: every attribute costs DynamoDB work on every write.
    item = _keys(app_id, meter_id, timestamp)
    item["kwh"] = {"N": repr(kwh)}
    return item


def _meter_of(item: Item) -> str:
    """The meter id out of `pk` (`app_id#meter_id`; application ids hold no `#`)."""
    return str(item["pk"]["S"]).split("#", 1)[1]


def _position(item: Item) -> list[str]:
    return [item["timestamp"]["S"], _meter_of(item)]


def _reading(item: Item) -> Reading:
    return Reading(_meter_of(item), item["timestamp"]["S"], float(item["kwh"]["N"]))


class DynamoMeters:
    def __init__(self, table: Table, pool: Executor) -> None:
        self._table = table
        self._pool = pool

    def widen(self, app_id: str, spans: Sequence[MeterSpan]) -> None:
        """Two conditional writes a meter: each applies only when it widens the span."""
        updates = [
            (span.meter_id, attribute, value, condition)
            for span in spans
            for attribute, value, condition in (
                ("first_timestamp", span.first_timestamp, ">"),
                ("last_timestamp", span.last_timestamp, "<"),
            )
        ]
        list(self._pool.map(lambda update: self._widen(app_id, *update), updates))

    def list(self, app_id: str, limit: int, cursor: str | None) -> Page[MeterSpan]:
        after = self._table.key(app_id, *decode_cursor(cursor, 1)) if cursor else None
        items, next_cursor = self._table.query_page(
            KeyRange("app_id", app_id), limit, after, lambda item: [item["meter_id"]["S"]]
        )
        spans = [
            MeterSpan(
                meter_id=item["meter_id"]["S"],
                first_timestamp=item["first_timestamp"]["S"],
                last_timestamp=item["last_timestamp"]["S"],
            )
            for item in items
        ]
        return Page(items=spans, next_cursor=next_cursor)

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange("app_id", app_id))

    def _widen(self, app_id: str, meter_id: str, attribute: str, value: str, beyond: str) -> None:
        self._table.set_when((app_id, meter_id), attribute, value, f"#a {beyond} :v")
