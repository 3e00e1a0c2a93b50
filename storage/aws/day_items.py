"""One meter's readings of one UTC day (or one hour of it) as the bytes of one DynamoDB item.

`r` is `zlib.compress` of UTF-8 lines joined by `\\n`:
  1. the versions of the writers present, ascending, comma-separated;
  2. offsets in seconds since the day start as deltas (the first is the offset itself);
  3. the kWh values, `repr` each, so every float round-trips exactly;
  4. only when line 1 names more than one writer: each reading's index into line 1.
Text compresses well here: values with few decimals take ~3 bytes a reading and regular
deltas almost nothing, so a day of 15-minute data stays well under 1 KB (one write unit).

Pure Python, no AWS: the adapter in `readings.py` turns these into items and back.
"""

from __future__ import annotations

import math
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, chain
from operator import sub

from storage.records import ReadingCounts

DAY_SECONDS = 86_400
HOUR_SECONDS = 3_600
MIDNIGHT = "T00:00:00Z"
# Writers' versions are read on their own (`writers`) in pieces of this many bytes.
HEAD_PIECE = 256


def _offsets() -> array[int]:
    return array("l")


def _values() -> array[float]:
    return array("d")


@dataclass
class DayReadings:
    """Readings of one meter within one day, ascending by offset (seconds since midnight)."""

    offsets: array[int] = field(default_factory=_offsets)
    values: array[float] = field(default_factory=_values)
    owners: array[int] = field(default_factory=_offsets)  # the version that wrote each one

    def __len__(self) -> int:
        return len(self.offsets)

    def hour(self, hour: int) -> DayReadings:
        """The readings of one hour of the day (a slice: the arrays are sorted)."""
        lower = bisect_left(self.offsets, hour * HOUR_SECONDS)
        upper = bisect_left(self.offsets, (hour + 1) * HOUR_SECONDS)
        return DayReadings(
            self.offsets[lower:upper], self.values[lower:upper], self.owners[lower:upper]
        )

    def hours(self) -> dict[int, DayReadings]:
        """The readings split by hour of the day, only the hours that have some."""
        present = sorted({offset // HOUR_SECONDS for offset in self.offsets})
        return {hour: self.hour(hour) for hour in present}


@dataclass
class Held:
    """Readings a writer holds for one meter and day, in arrival order (duplicates kept)."""

    offsets: array[int] = field(default_factory=_offsets)
    values: array[float] = field(default_factory=_values)

    def __len__(self) -> int:
        return len(self.offsets)

    def by_hour(self) -> dict[int, Held]:
        """The same readings split by hour, each hour still in arrival order."""
        hours: dict[int, Held] = {}
        for offset, value in zip(self.offsets, self.values, strict=True):
            part = hours.get(offset // HOUR_SECONDS)
            if part is None:
                part = hours[offset // HOUR_SECONDS] = Held()
            part.offsets.append(offset)
            part.values.append(value)
        return hours


def encode(readings: DayReadings) -> bytes:
    versions = sorted(set(readings.owners))
    offsets = readings.offsets
    lines = [
        ",".join(map(str, versions)),
        ",".join(map(str, map(sub, offsets, chain((0,), offsets)))),
        ",".join(map(repr, readings.values)),
    ]
    if len(versions) > 1:
        position = {version: at for at, version in enumerate(versions)}
        lines.append(",".join(str(position[owner]) for owner in readings.owners))
    return zlib.compress("\n".join(lines).encode())


def decode(blob: bytes) -> DayReadings:
    versions, deltas, values, *owners = zlib.decompress(blob).decode().split("\n")
    if not deltas:
        return DayReadings()
    writers = [int(version) for version in versions.split(",")]
    offsets = array("l", accumulate(map(int, deltas.split(","))))
    if owners:
        owned = array("l", map(writers.__getitem__, map(int, owners[0].split(","))))
    else:
        owned = array("l", [writers[0]]) * len(offsets)
    return DayReadings(offsets, array("d", map(float, values.split(","))), owned)


def writers(blob: bytes) -> list[int]:
    """The versions of line 1 alone: only as much is decompressed as that line needs, so a
    reader looking for newer writers skips most items without decoding them."""
    stream = zlib.decompressobj()
    head, rest = b"", blob
    while b"\n" not in head and not stream.eof:
        piece = stream.decompress(rest, HEAD_PIECE)
        rest = stream.unconsumed_tail
        if not piece and not rest:
            break
        head += piece
    line = head.split(b"\n", 1)[0]
    return [int(version) for version in line.split(b",")] if line else []


def merge(
    stored: DayReadings | None, held: Held, version: int
) -> tuple[DayReadings, ReadingCounts]:
    """The stored readings with `held` (written under `version`) merged in arrival order.

    Per offset: not stored -> added (new); equal value -> kept with its owner (unchanged);
    different and owned by a version <= `version` -> replaced; owned by a higher one -> kept
    (unchanged). Duplicates in `held` meet the value the earlier one left, so the last wins.
    """
    current: dict[int, tuple[float, int]] = {}
    if stored is not None:
        pairs = zip(stored.values, stored.owners, strict=True)
        current = dict(zip(stored.offsets, pairs, strict=True))
    new = replaced = unchanged = 0
    for offset, value in zip(held.offsets, held.values, strict=True):
        found = current.get(offset)
        if found is None:
            new += 1
        elif found[0] == value or found[1] > version:
            unchanged += 1
            continue
        else:
            replaced += 1
        current[offset] = (value, version)
    counts = ReadingCounts(new=new, replaced=replaced, unchanged=unchanged)
    if stored is not None and not new and not replaced:
        return stored, counts
    order = sorted(current)
    merged = DayReadings(
        array("l", order),
        array("d", (current[offset][0] for offset in order)),
        array("l", (current[offset][1] for offset in order)),
    )
    return merged, counts


def changes(counts: ReadingCounts) -> bool:
    return bool(counts.new or counts.replaced)


def totals(readings: DayReadings) -> tuple[int, float, float]:
    """Count, sum and maximum of the readings, kept on the item for whole-bucket summaries."""
    return len(readings), math.fsum(readings.values), max(readings.values)


def day_of(timestamp: str) -> str:
    """The start of the UTC day of a stored timestamp (`YYYY-MM-DDTHH:MM:SSZ`)."""
    return timestamp[:10] + MIDNIGHT


def offset_of(timestamp: str) -> int:
    return int(timestamp[11:13]) * HOUR_SECONDS + int(timestamp[14:16]) * 60 + int(timestamp[17:19])


@cache
def clock(offset: int) -> str:
    """`THH:MM:SSZ` of an offset; cached, as decoding formats the same few again and again."""
    return f"T{offset // HOUR_SECONDS:02d}:{offset // 60 % 60:02d}:{offset % 60:02d}Z"


def timestamps(date: str, offsets: Iterable[int]) -> Iterator[str]:
    """The stored timestamps of offsets within the day `date` (`YYYY-MM-DD`)."""
    return (date + clock(offset) for offset in offsets)


def part_key(day: str, hour: int) -> str:
    """The sort key of one hour of a split day: after the day's own key, before the next day."""
    return f"{day}#{hour:02d}"


def span_of(sort_key: str) -> tuple[str, str]:
    """The first and last second an item (a day, or one hour of a split day) can hold."""
    date = sort_key[:10]
    if len(sort_key) == len(date + MIDNIGHT):
        return sort_key, date + "T23:59:59Z"
    hour = sort_key[-2:]
    return f"{date}T{hour}:00:00Z", f"{date}T{hour}:59:59Z"
