"""Energy readings: one item per meter and UTC day, merged by version.

`pk` = `app_id#meter_id`, sort key `timestamp` = the day's start (`YYYY-MM-DDT00:00:00Z`). The
item's `r` holds that day's readings (`day_items` has the encoding), `n`, `s` and `mx` their
count, sum and maximum (summaries add whole items without decoding them), `v` its version for
optimistic concurrency. A day whose `r` would pass SPLIT_BYTES is split: its own item keeps only
`parts` and `v`, and one item an hour (sort key `{day}#HH`, after the day, before the next)
holds that hour's readings.

Every item also has `app_id` and `day_meter` (`{day}#{meter_id}`), the keys of the index that
serves every meter day by day; it holds `r`, `n`, `s` and `mx`, so no reader goes back to the
table.
"""

import heapq
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import dropwhile, groupby, islice, repeat, takewhile

from storage.aws.day_items import (
    DayReadings,
    Held,
    changes,
    day_of,
    decode,
    encode,
    merge,
    offset_of,
    part_key,
    span_of,
    timestamps,
    writers,
)
from storage.aws.day_items import totals as totals_of
from storage.aws.schema import USAGE_BY_DAY_INDEX
from storage.aws.table import Item, KeyRange, Table, number, retried
from storage.buckets import Buckets
from storage.cursors import decode_cursor, encode_cursor
from storage.errors import InvalidCursor
from storage.records import (
    MeterSpan,
    Page,
    RangeTotals,
    Reading,
    ReadingCounts,
    ReadingQuery,
    ReadingRow,
    channel_of,
)

# A day's `r` past this many bytes goes into hour parts: an item holds 400 KB, and a day of
# 1-second data at full precision compresses to several times this.
SPLIT_BYTES = 100_000
# A writer writes once it holds this many readings (see DynamoReadingWriter).
HOLD_READINGS = 200_000
# Readings are taken in pieces of this many, so one huge `add` still flushes on time.
ADD_PIECE = 10_000
# A summary reads its range as this many slices at once: DynamoDB pages are sequential.
SUMMARY_SLICES = 8
# What a summary reads of each item: its day and meter, readings, and totals.
SUMMED = ("timestamp", "day_meter", "r", "n", "s", "mx")
# "$" follows "#": `{day}$` sorts after the day's own key and every `{day}#...` after it.
AFTER_SEPARATOR = "$"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# N can hold magnitudes from 1e-130 to below 1e126; totals beyond are left off the item.
STORABLE = (1e-130, 1e125)

Position = tuple[str, str]  # (timestamp, meter_id): where a page ended
Row = tuple[str, str, float]  # (timestamp, meter_id, kwh): tuples sort as pages are ordered


@dataclass(frozen=True)
class Day:
    """One meter's UTC day: where its items live and what they hold besides readings."""

    app_id: str
    meter_id: str
    start: str  # YYYY-MM-DDT00:00:00Z

    @property
    def pk(self) -> str:
        return f"{self.app_id}#{self.meter_id}"

    def key(self, sort_key: str | None = None) -> Item:
        return {"pk": {"S": self.pk}, "timestamp": {"S": sort_key or self.start}}

    def item(self, sort_key: str, readings: DayReadings | None, blob: bytes, version: int) -> Item:
        """The item at `sort_key` holding `readings` encoded as `blob`; None for the readings
        makes a split day's own item, which holds only `parts` (and the keys)."""
        item: Item = {
            **self.key(sort_key),
            "app_id": {"S": self.app_id},
            "day_meter": {"S": f"{self.start}#{self.meter_id}"},
            "v": number(version),
        }
        if readings is None:
            item["parts"] = number(1)
            return item
        item["r"] = {"B": blob}
        count, total, most = totals_of(readings)
        if all(value == 0 or STORABLE[0] <= abs(value) < STORABLE[1] for value in (total, most)):
            item.update(n=number(count), s={"N": repr(total)}, mx={"N": repr(most)})
        return item


class DynamoReadings:
    def __init__(self, table: Table, pool: Executor) -> None:
        self._table = table
        self._pool = pool

    def writer(self, app_id: str, version: int) -> "DynamoReadingWriter":
        return DynamoReadingWriter(DayMerges(self._table, self._pool, app_id, version))

    def changed_since(self, app_id: str, spans: Sequence[MeterSpan], version: int) -> bool:
        return any(self._pool.map(lambda span: self._changed(app_id, span, version), spans))

    def query(self, query: ReadingQuery) -> Page[Reading]:
        after = _position(query.cursor)
        start, end, limit = query.start, query.end, query.limit
        lower = max(filter(None, (start, after and after[0])), default=None)
        if lower is not None and end is not None and lower > end:
            return Page(items=[])
        if query.meter_id is None:
            rows = self._rows_by_time(query.app_id, lower, end)
        else:
            rows = self._rows_of_meter(query.app_id, query.meter_id, lower, end)

        def before(row: Row) -> bool:
            return (start is not None and row[0] < start) or (
                after is not None and row[:2] <= after
            )

        window = takewhile(lambda row: end is None or row[0] <= end, dropwhile(before, rows))
        found = list(islice(window, limit + 1))
        items = [Reading(meter_id, timestamp, kwh) for timestamp, meter_id, kwh in found[:limit]]
        next_cursor = None
        if len(found) > limit and items:
            next_cursor = encode_cursor([items[-1].timestamp, items[-1].meter_id])
        return Page(items=items, next_cursor=next_cursor)

    def totals(self, app_id: str, meter_id: str | None, edges: Sequence[str]) -> RangeTotals:
        """The range read in slices at once, each item added to its bucket here (DynamoDB does
        not sum): whole when it lies inside one bucket, else reading by reading."""
        buckets = Buckets(edges)
        step = max(1, -(-(len(edges) - 1) // SUMMARY_SLICES))
        slices = [
            (edges[at], edges[min(at + step, len(edges) - 1)])
            for at in range(0, len(edges) - 1, step)
        ]

        def add_slice(bounds: tuple[str, str]) -> None:
            # Slices meet at bucket edges, so no two threads ever add to one bucket; an item
            # read by two slices adds its whole totals only in the slice where it starts.
            lower, upper = bounds
            where, index = _slice_range(app_id, meter_id, lower, upper)
            every_meter = meter_id is None
            for items in self._table.pages(where, index, SUMMED):
                for item in items:
                    _add_item(buckets, item, lower, upper, every_meter)

        list(self._pool.map(add_slice, slices))
        return buckets.range_totals()

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange("app_id", app_id), USAGE_BY_DAY_INDEX, self._pool)

    def _changed(self, app_id: str, span: MeterSpan, version: int) -> bool:
        first, last = span.first_timestamp, span.last_timestamp
        if first > last:
            return False
        partition = f"{app_id}#{span.meter_id}"
        where = KeyRange(
            "pk", partition, "timestamp", day_of(first), day_of(last) + AFTER_SEPARATOR
        )
        for item in self._table.stream(where, attributes=("timestamp", "r")):
            # Most items name no newer writer: their first line is all that gets decoded.
            if "r" in item and max(writers(item["r"]["B"]), default=0) > version:
                readings = decode(item["r"]["B"])
                stamps = timestamps(item["timestamp"]["S"][:10], readings.offsets)
                for timestamp, owner in zip(stamps, readings.owners, strict=True):
                    if owner > version and first <= timestamp <= last:
                        return True
        return False

    def _rows_of_meter(
        self, app_id: str, meter_id: str, lower: str | None, end: str | None
    ) -> Iterator[Row]:
        """The meter's readings from the day of `lower` to the end of the day of `end`, items
        read a few first, then more and more: a short page reads few days."""
        where = KeyRange(
            "pk",
            f"{app_id}#{meter_id}",
            "timestamp",
            lower and day_of(lower),
            end and day_of(end) + AFTER_SEPARATOR,
        )
        for item in self._table.stream(where, attributes=("timestamp", "r")):
            yield from _rows(item, meter_id)

    def _rows_by_time(self, app_id: str, lower: str | None, end: str | None) -> Iterator[Row]:
        """Every meter's readings by (timestamp, meter), day by day through the index: each
        day's items are all read, then their readings merged in order."""
        where = KeyRange(
            "app_id",
            app_id,
            "day_meter",
            lower and day_of(lower) + "#",
            end and day_of(end) + AFTER_SEPARATOR,
        )
        items = self._table.stream(where, USAGE_BY_DAY_INDEX, ("pk", "timestamp", "r"))
        for _, day in groupby(items, key=lambda item: item["timestamp"]["S"][:10]):
            yield from heapq.merge(*[_rows(item, _meter_of(item)) for item in day])


class DayMerges:
    """Writes a writer's held days into their items, each merged with what is stored.

    Each item is its own conditional PutItem on its `v` (`attribute_not_exists(pk)` for a new
    one): BatchWriteItem cannot carry conditions. A writer that lost the race re-reads that one
    item and merges again, so concurrent writers never hold a lock and never lose a reading.
    """

    def __init__(self, table: Table, pool: Executor, app_id: str, version: int) -> None:
        self._table = table
        self._pool = pool
        self._app_id = app_id
        self._version = version

    def write(self, held: dict[tuple[str, str], Held]) -> ReadingCounts:
        """Held readings by (meter, YYYY-MM-DD): the day items read in batches, then for split
        days the parts they touch, then every day merged and written on the pool."""
        days = {
            Day(self._app_id, meter, date + "T00:00:00Z"): got
            for (meter, date), got in held.items()
        }
        stored = self._read([day.key() for day in days])
        split = [day for day in days if _is_split(stored.get((day.pk, day.start)))]
        parts = self._read([day.key(key) for day in split for key in _part_keys(day, days[day])])

        def write_day(day: Day) -> ReadingCounts:
            return self._write_day(day, days[day], stored.get((day.pk, day.start)), parts)

        return sum(self._pool.map(write_day, days), ReadingCounts())

    def _read(self, keys: Sequence[Item], pool: bool = True) -> dict[tuple[str, str], Item]:
        found = self._table.get_many(keys, self._pool if pool else None)
        return {(item["pk"]["S"], item["timestamp"]["S"]): item for item in found}

    def _write_day(
        self, day: Day, held: Held, stored: Item | None, parts: dict[tuple[str, str], Item] | None
    ) -> ReadingCounts:
        def attempt(number: int) -> ReadingCounts | None:
            nonlocal stored, parts
            if number:  # lost a race: merge into what is stored now
                stored, parts = self._table.get(day.pk, day.start), None
            if _is_split(stored):
                return self._write_parts(day, held, parts)
            return self._merge_into(day, day.start, held, stored)

        return retried(attempt, f"the readings of meter {day.meter_id} on {day.start}")

    def _write_parts(
        self, day: Day, held: Held, parts: dict[tuple[str, str], Item] | None
    ) -> ReadingCounts:
        """Each touched hour of a split day merged into its own part, each with its own race."""
        hours = held.by_hour()
        keys = {hour: part_key(day.start, hour) for hour in hours}
        if parts is None:
            # Runs on a pool thread already: read in this one.
            parts = self._read([day.key(key) for key in keys.values()], pool=False)
        counts = ReadingCounts()
        for hour, key in keys.items():
            counts += self._write_part(day, key, hours[hour], parts.get((day.pk, key)))
        return counts

    def _write_part(self, day: Day, key: str, held: Held, stored: Item | None) -> ReadingCounts:
        def attempt(number: int) -> ReadingCounts | None:
            nonlocal stored
            if number:
                stored = self._table.get(day.pk, key)
            return self._merge_into(day, key, held, stored)

        return retried(attempt, f"the readings of meter {day.meter_id} at {key}")

    def _merge_into(
        self, day: Day, sort_key: str, held: Held, stored: Item | None
    ) -> ReadingCounts | None:
        """Merge `held` into the item `stored` at `sort_key` and put it while its `v` is as read;
        None when another writer changed it first. Nothing is written when nothing changes. A
        day grown past SPLIT_BYTES is split into hour parts."""
        merged, counts = merge(_readings(stored), held, self._version)
        if not changes(counts):
            return counts
        blob = encode(merged)
        version = int(stored["v"]["N"]) if stored else 0
        if len(blob) > SPLIT_BYTES and sort_key == day.start:
            written = self._split(day, merged, version)
        else:
            written = self._table.put_at_version(
                day.item(sort_key, merged, blob, version + 1), version
            )
        return counts if written else None

    def _split(self, day: Day, merged: DayReadings, version: int) -> bool:
        """The day's own item (on its version) and its new hour parts in one transaction."""
        parts = [
            (day.item(part_key(day.start, hour), readings, encode(readings), 1), 0)
            for hour, readings in merged.hours().items()
        ]
        marker = day.item(day.start, None, b"", version + 1)
        return self._table.put_all_at_versions([(marker, version), *parts])


class DynamoReadingWriter:
    """Holds readings per (meter, day) in compact arrays and writes each day's item once when
    it can. With HOLD_READINGS held, the days older than the newest day seen for their meter
    are complete in a time-ordered file (also one interleaving many meters): those are written;
    when that frees less than half, everything is. `finish` writes the rest."""

    def __init__(self, merges: DayMerges) -> None:
        self._merges = merges
        self._held: dict[tuple[str, str], Held] = {}
        self._newest: dict[str, str] = {}  # meter -> its newest day seen
        self._offsets: dict[str, int] = {}  # clock ("THH:MM:SSZ") -> seconds, parsed once
        self._holding = 0
        self._counts = ReadingCounts()

    def add(self, readings: Sequence[ReadingRow]) -> None:
        for at in range(0, len(readings), ADD_PIECE):
            self._hold(readings[at : at + ADD_PIECE])
            if self._holding >= HOLD_READINGS:
                self._write_complete_days()

    def finish(self) -> ReadingCounts:
        self._write(list(self._held))
        return self._counts

    def _hold(self, readings: Sequence[ReadingRow]) -> None:
        held, newest, offsets = self._held, self._newest, self._offsets
        for meter_id, timestamp, kwh in readings:
            key = (meter_id, timestamp[:10])
            day = held.get(key)
            if day is None:
                day = held[key] = Held()
                if key[1] > newest.get(meter_id, ""):
                    newest[meter_id] = key[1]
            offset = offsets.get(timestamp[10:])
            if offset is None:
                offset = offsets[timestamp[10:]] = _offset(timestamp)
            day.offsets.append(offset)
            day.values.append(kwh)
        self._holding += len(readings)

    def _write_complete_days(self) -> None:
        complete = [key for key in self._held if key[1] < self._newest[key[0]]]
        freed = sum(len(self._held[key]) for key in complete)
        self._write(complete if 2 * freed >= self._holding else list(self._held))

    def _write(self, keys: list[tuple[str, str]]) -> None:
        if not keys:
            return
        batch = {key: self._held.pop(key) for key in keys}
        self._holding -= sum(map(len, batch.values()))
        self._counts += self._merges.write(batch)


def _offset(timestamp: str) -> int:
    if not TIMESTAMP.fullmatch(timestamp):
        raise ValueError(f"not a stored timestamp (YYYY-MM-DDTHH:MM:SSZ): {timestamp!r}")
    return offset_of(timestamp)


def _position(cursor: str | None) -> Position | None:
    if not cursor:
        return None
    timestamp, meter_id = decode_cursor(cursor, 2)
    if not TIMESTAMP.fullmatch(timestamp):
        raise InvalidCursor(cursor)
    return timestamp, meter_id


def _is_split(item: Item | None) -> bool:
    return item is not None and "parts" in item


def _part_keys(day: Day, held: Held) -> list[str]:
    hours = sorted({offset // 3600 for offset in held.offsets})
    return [part_key(day.start, hour) for hour in hours]


def _readings(item: Item | None) -> DayReadings | None:
    return decode(item["r"]["B"]) if item is not None else None


def _rows(item: Item, meter_id: str) -> Iterator[Row]:
    """The item's readings by time; none for a split day's own item."""
    if "r" not in item:
        return iter(())
    readings = decode(item["r"]["B"])
    stamps = timestamps(item["timestamp"]["S"][:10], readings.offsets)
    return zip(stamps, repeat(meter_id), readings.values)


def _meter_of(item: Item) -> str:
    """The meter id out of `pk` (`app_id#meter_id`; application ids hold no `#`)."""
    return str(item["pk"]["S"]).split("#", 1)[1]


def _slice_range(
    app_id: str, meter_id: str | None, lower: str, upper: str
) -> tuple[KeyRange, str | None]:
    """The items that may hold readings in [lower, upper): from the day of `lower` on, and
    when `upper` is not midnight, the parts of its day too."""
    midnight = upper == day_of(upper)
    if meter_id is None:
        top = day_of(upper) + ("#" if midnight else AFTER_SEPARATOR)
        return KeyRange("app_id", app_id, "day_meter", day_of(lower) + "#", top), USAGE_BY_DAY_INDEX
    top = upper if midnight else day_of(upper) + AFTER_SEPARATOR
    return KeyRange("pk", f"{app_id}#{meter_id}", "timestamp", day_of(lower), top), None


def _add_item(buckets: Buckets, item: Item, lower: str, upper: str, every_meter: bool) -> None:
    """Add the item's readings in [lower, upper) to their buckets: its totals at once when the
    whole span it may hold lies in one bucket (counted in the slice where it starts). Asked
    for every meter, a channel's readings go to its range total instead."""
    if "r" not in item:
        return
    channel = channel_of(item["day_meter"]["S"].partition("#")[2]) if every_meter else ""
    first, last = span_of(item["timestamp"]["S"])
    if "s" in item and buckets.index(first) == buckets.index(last):
        if lower <= first < upper:
            total, most, count = (
                float(item["s"]["N"]),
                float(item["mx"]["N"]),
                int(item["n"]["N"]),
            )
            buckets.add(first, total, most, count, channel)
        return
    readings = decode(item["r"]["B"])
    for timestamp, kwh in zip(
        timestamps(first[:10], readings.offsets), readings.values, strict=True
    ):
        if lower <= timestamp < upper:
            buckets.add(timestamp, kwh, kwh, channel=channel)


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
