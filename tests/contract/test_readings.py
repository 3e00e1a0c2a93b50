"""Readings on every backend: versions, counts, concurrent writers, pages, totals, 1-second days."""

import math
import random
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from storage.ports import Storage
from storage.records import MeterSpan, Reading, ReadingCounts, ReadingQuery
from tests.contract.readings import read_all, write

START = datetime(2024, 3, 1, tzinfo=UTC)


def at(seconds: float) -> str:
    """The stored timestamp `seconds` after 2024-03-01T00:00:00Z."""
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def span(meter_id: str, first: str, last: str) -> MeterSpan:
    return MeterSpan(meter_id=meter_id, first_timestamp=first, last_timestamp=last)


def stored(storage: Storage, app_id: str = "app-1") -> dict[tuple[str, str], float]:
    return {(r.meter_id, r.timestamp): r.kwh for r in read_all(storage, ReadingQuery(app_id))}


def test_counts_say_what_each_reading_did(storage: Storage) -> None:
    rows = [Reading("m", at(hour * 3600), hour + 0.25) for hour in range(30)]
    assert write(storage, "app-1", rows) == ReadingCounts(new=30)
    assert write(storage, "app-1", rows) == ReadingCounts(unchanged=30)
    changed = [Reading(r.meter_id, r.timestamp, r.kwh + 1) for r in rows[20:]]
    more = [Reading("m", at(30 * 3600), 1.0), Reading("other", at(0), 1.0)]
    assert write(storage, "app-1", rows[:20] + changed + more) == ReadingCounts(
        new=2, replaced=10, unchanged=20
    )
    assert stored(storage)[("m", at(29 * 3600))] == 30.25


def test_duplicate_keys_in_one_writer_are_applied_in_order(storage: Storage) -> None:
    readings = [Reading(f"m{n % 2}", f"2025-01-01T00:00:{n % 10:02d}Z", n) for n in range(60)]
    assert write(storage, "app-1", readings) == ReadingCounts(new=10, replaced=50)
    assert stored(storage) == {(r.meter_id, r.timestamp): float(r.kwh) for r in readings[-10:]}
    same = [Reading("m", at(0), 1.5), Reading("m", at(0), 1.5), Reading("m", at(0), 2.5)]
    assert write(storage, "app-2", same) == ReadingCounts(new=1, unchanged=1, replaced=1)
    # One writer fed in several calls counts the same as given everything at once.
    writer = storage.readings.writer("app-3", 1)
    for reading in same:
        writer.add([reading])
    assert writer.finish() == ReadingCounts(new=1, unchanged=1, replaced=1)
    assert stored(storage, "app-3") == {("m", at(0)): 2.5}


def test_a_lower_version_never_replaces_a_higher_ones_value(storage: Storage) -> None:
    rows = [Reading("m", at(minute * 60), 2.0) for minute in range(10)]
    spans = [span("m", at(0), at(9 * 60))]
    assert write(storage, "app-1", rows, version=2) == ReadingCounts(new=10)
    older = [Reading("m", at(minute * 60), 1.0 if minute < 5 else 2.0) for minute in range(11)]
    assert write(storage, "app-1", older, version=1) == ReadingCounts(new=1, unchanged=10)
    assert set(stored(storage).values()) == {2.0}
    assert stored(storage)[("m", at(0))] == 2.0
    assert storage.readings.changed_since("app-1", spans, 1)
    assert not storage.readings.changed_since("app-1", spans, 2)
    # Equal values keep their owner: nothing changed since version 2.
    assert write(storage, "app-1", rows, version=3) == ReadingCounts(unchanged=10)
    assert not storage.readings.changed_since("app-1", spans, 2)
    newer = [Reading("m", at(9 * 60), 3.0)]
    assert write(storage, "app-1", newer, version=3) == ReadingCounts(replaced=1)
    assert stored(storage)[("m", at(9 * 60))] == 3.0
    assert storage.readings.changed_since("app-1", spans, 2)
    assert not storage.readings.changed_since("app-1", [span("m", at(0), at(8 * 60))], 2)
    # The same version replaces its own.
    assert write(storage, "app-1", [Reading("m", at(9 * 60), 4.0)], version=3) == ReadingCounts(
        replaced=1
    )


def test_changed_since_looks_exactly_within_each_span(storage: Storage) -> None:
    hours = [at(hour * 3600) for hour in range(48)]
    write(storage, "app-1", [Reading(meter, h, 1.0) for meter in ("a", "b") for h in hours])
    write(storage, "app-1", [Reading("a", hours[24], 2.0)], version=5)  # next day's midnight
    readings = storage.readings
    assert readings.changed_since("app-1", [span("a", hours[24], hours[24])], 4)
    assert readings.changed_since("app-1", [span("a", hours[23], hours[24])], 4)
    assert readings.changed_since("app-1", [span("a", hours[0], hours[47])], 1)
    assert not readings.changed_since("app-1", [span("a", hours[0], hours[23])], 1)
    assert not readings.changed_since("app-1", [span("a", at(24 * 3600 + 1), hours[47])], 1)
    assert not readings.changed_since("app-1", [span("a", hours[24], hours[24])], 5)
    assert not readings.changed_since("app-1", [span("b", hours[0], hours[47])], 1)
    assert not readings.changed_since("app-2", [span("a", hours[0], hours[47])], 1)
    assert not readings.changed_since("app-1", [], 1)
    many = [span("b", hours[0], hours[47]), span("c", hours[0], hours[47])]
    assert readings.changed_since("app-1", [*many, span("a", hours[20], hours[30])], 1)


def test_two_writers_at_once_end_as_if_run_in_version_order(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # So the aws writer flushes every few days of data, interleaved with the other writer's.
    monkeypatch.setattr("storage.aws.readings.HOLD_READINGS", 1_000)
    rows = {
        version: [Reading("m", at(n * 300), n / 1000 + version) for n in range(20_000)]
        for version in (1, 2)
    }
    start = threading.Barrier(2)
    counts: dict[int, ReadingCounts] = {}
    failures: list[BaseException] = []

    def run(version: int) -> None:
        try:
            writer = storage.readings.writer("app-1", version)
            start.wait()
            for piece in range(0, 20_000, 500):
                writer.add(rows[version][piece : piece + 500])
            counts[version] = writer.finish()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(version,)) for version in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert stored(storage) == {("m", r.timestamp): r.kwh for r in rows[2]}
    lower, higher = counts[1], counts[2]
    assert lower.new + higher.new == 20_000
    assert (lower.replaced, higher.unchanged) == (0, 0)
    assert higher.replaced == lower.new
    assert lower.unchanged == higher.new


def readings_over_days() -> list[Reading]:
    """Three meters, every six hours for three days and a bit, with gaps."""
    return [
        Reading(meter, at(step * 6 * 3600 + offset), step + offset / 100)
        for step in range(13)
        for meter, offset in (("a", 0), ("b", 0), ("c", 60))
        if not (meter == "b" and step in (4, 5))
    ]


def expected(
    rows: Sequence[Reading], meter_id: str | None, start: str | None, end: str | None
) -> list[Reading]:
    chosen = [
        r
        for r in rows
        if (meter_id is None or r.meter_id == meter_id)
        and (start is None or r.timestamp >= start)
        and (end is None or r.timestamp <= end)
    ]
    return sorted(chosen, key=lambda r: (r.timestamp, r.meter_id))


@pytest.mark.parametrize("limit", [1, 2, 5, 100])
def test_pages_across_days_and_meters_follow_their_cursors(storage: Storage, limit: int) -> None:
    rows = readings_over_days()
    write(storage, "app-1", rows)
    write(storage, "app-2", [Reading("a", at(0), 9.0)])
    midnight, next_midnight = at(86_400), at(2 * 86_400)
    for meter_id in (None, "a", "b", "c", "missing"):
        for start, end in (
            (None, None),
            (midnight, None),
            (None, midnight),
            (midnight, next_midnight),
            (at(86_400 + 60), at(2 * 86_400 + 60)),
            (midnight, midnight),
            (next_midnight, midnight),
        ):
            query = ReadingQuery("app-1", meter_id, start, end, limit)
            found = read_all(storage, query)
            assert found == expected(rows, meter_id, start, end), (meter_id, start, end)


def test_a_page_ends_with_a_cursor_only_when_more_follow(storage: Storage) -> None:
    rows = readings_over_days()
    write(storage, "app-1", rows)
    first = storage.readings.query(ReadingQuery("app-1", limit=len(rows) - 1))
    assert first.next_cursor
    rest = storage.readings.query(ReadingQuery("app-1", limit=5, cursor=first.next_cursor))
    assert rest.items == expected(rows, None, None, None)[-1:]
    assert rest.next_cursor is None
    whole = storage.readings.query(ReadingQuery("app-1", limit=len(rows)))
    assert whole.next_cursor is None
    assert whole.items == expected(rows, None, None, None)


def summed(rows: Sequence[Reading], lower: str, upper: str) -> tuple[float, float | None, int]:
    inside = [r.kwh for r in rows if lower <= r.timestamp < upper]
    return math.fsum(inside), max(inside, default=None), len(inside)


@pytest.mark.parametrize(
    "edges",
    [
        [at(hour * 3600) for hour in range(0, 80)],  # smaller than a day
        [at(day * 86_400) for day in range(-1, 5, 2)],  # two days each, from the day before
        [at(5.5 * 3600), at(30 * 3600 + 45 * 60), at(54 * 3600 + 1), at(70 * 3600)],
        [at(0), at(900), at(3600)],
        [at(86_400 - 1), at(86_400), at(86_400 + 1)],
    ],
    ids=["hours", "two-days", "off-midnight", "quarter-hour", "one-second"],
)
def test_totals_equal_the_sums_of_their_readings(storage: Storage, edges: list[str]) -> None:
    rows = [
        Reading(meter, at(n * 900), round(random.Random(n).random(), 3) + bias)
        for n in range(4 * 24 * 3)
        for meter, bias in (("a", 0.0), ("b", 10.0))
    ]
    write(storage, "app-1", rows)
    for meter_id in (None, "a", "b"):
        chosen = [r for r in rows if meter_id is None or r.meter_id == meter_id]
        totals = storage.readings.totals("app-1", meter_id, edges).buckets
        assert len(totals) == len(edges) - 1
        for total, lower, upper in zip(totals, edges, edges[1:], strict=False):
            kwh, most, count = summed(chosen, lower, upper)
            assert (total.readings, total.max_kwh) == (count, most), (meter_id, lower)
            assert total.kwh == pytest.approx(kwh, rel=1e-12, abs=1e-9)


def one_second_day(meter_id: str = "m", seed: int = 1) -> list[Reading]:
    values = random.Random(seed)
    return [
        Reading(meter_id, at(second), values.uniform(-1, 1) * 10 ** values.randint(-6, 6))
        for second in range(86_400)
    ]


def test_a_day_of_one_second_readings_round_trips_exactly(storage: Storage) -> None:
    rows = one_second_day()
    assert write(storage, "app-1", rows) == ReadingCounts(new=86_400)
    day = ReadingQuery("app-1", "m", limit=100_000)
    assert storage.readings.query(day).items == rows
    by_time = read_all(storage, ReadingQuery("app-1", start=at(3600 - 2), end=at(7200), limit=997))
    assert by_time == rows[3598:7201]
    # Later writes merge into the same readings, including over the last second of the day.
    changed = [Reading("m", r.timestamp, r.kwh + 1) for r in rows[::1000]] + [
        Reading("m", at(86_400), 1.0)
    ]
    assert write(storage, "app-1", changed, version=2) == ReadingCounts(new=1, replaced=87)
    latest = {r.timestamp: r.kwh for r in [*rows, *changed]}
    everything = read_all(storage, ReadingQuery("app-1", "m", limit=50_000))
    assert {r.timestamp: r.kwh for r in everything} == latest
    assert storage.readings.changed_since("app-1", [span("m", at(1000), at(1000))], 1)
    assert not storage.readings.changed_since("app-1", [span("m", at(1001), at(1999))], 1)
    (total,) = storage.readings.totals("app-1", "m", [at(0), at(86_400)]).buckets
    assert total.readings == 86_400
    assert total.kwh == pytest.approx(math.fsum(latest[at(s)] for s in range(86_400)))
