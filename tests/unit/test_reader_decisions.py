"""What the reader decides over the whole file, tried on files Hypothesis writes: a column's
decimal mark and its day order, however its rows are ordered; a register and an interval
column of the same values, told apart by their names alone."""

import io
import random
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from services.csv_reader import read_csv

DAYS = st.lists(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    min_size=1,
    max_size=60,
    unique=True,
)


def read(text: str, **options: object) -> tuple[list[tuple[str, str, float]], list[str]]:
    file = read_csv(io.BytesIO(text.encode()), **options)  # type: ignore[arg-type]
    readings: list[tuple[str, str, float]] = []
    errors: list[str] = []
    for batch in file:
        readings.extend(batch.readings)
        errors.extend(error.error for error in batch.errors)
    return sorted(readings), errors


def utc(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat()[:19] + "Z"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 9_999_999), min_size=1, max_size=80),
    st.integers(0, 10_000),
    st.sampled_from([(",", "."), (".", ",")]),
    st.booleans(),
)
def test_the_decimal_mark_is_decided_by_the_column_wherever_its_telling_value_is(
    thousandths: list[int], position: int, marks: tuple[str, str], grouped: bool
) -> None:
    """Values in thousandths, some with thousands groups (`1.234,567`), one of them
    unambiguous (`0,5`) anywhere in the file: every value reads the same."""
    decimal, group = marks
    telling = 500  # 0.5: a mark with one digit after it cannot group thousands
    values = [*thousandths]
    values.insert(position % (len(values) + 1), telling)

    def written(value: int) -> str:
        whole, fraction = divmod(value, 1000)
        text = f"{whole:,}".replace(",", group) if grouped else str(whole)
        return text + decimal + (f"{fraction:03d}" if value != telling else "5")

    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        f"m;{(start + timedelta(hours=i)).isoformat()};{written(v)}" for i, v in enumerate(values)
    ]
    readings, errors = read("meter;timestamp;kwh\n" + "\n".join(rows) + "\n")

    assert errors == []
    assert [kwh for _, _, kwh in sorted(readings, key=lambda r: r[1])] == [
        v / 1000 if v != telling else 0.5 for v in values
    ]


@settings(max_examples=150, deadline=None)
@given(DAYS, st.booleans(), st.randoms(use_true_random=False))
def test_day_or_month_first_is_decided_however_the_rows_are_ordered(
    days: list[date], day_first: bool, shuffle: random.Random
) -> None:
    telling = date(2025, 7, 13)  # the 13th: no month
    days = [*days, telling] if telling not in days else days
    shuffle.shuffle(days)
    written = [
        (
            f"{d.day:02d}/{d.month:02d}/{d.year}"
            if day_first
            else f"{d.month:02d}/{d.day:02d}/{d.year}"
        )
        for d in days
    ]
    text = "meter,date,kwh\n" + "".join(f"m,{w},1\n" for w in written)

    readings, errors = read(text)

    assert errors == []
    assert sorted(timestamp for _, timestamp, _ in readings) == sorted(utc(d) for d in days)


RISING = st.lists(st.integers(1, 50), min_size=3, max_size=40).map(
    lambda steps: [1000 + sum(steps[: i + 1]) for i in range(len(steps))]
)


@settings(max_examples=100, deadline=None)
@given(RISING, st.sampled_from(["Zählerstand", "meter reading", "Register reading"]))
def test_a_column_named_as_a_register_gives_differences(values: list[int], name: str) -> None:
    text = _hourly(name, values)

    readings, _ = read(text, meter_id="m")

    assert [kwh for _, _, kwh in readings] == [b - a for a, b in pairwise(values)]


@settings(max_examples=100, deadline=None)
@given(RISING, st.sampled_from(["Verbrauch", "consumption", "Usage", "kWh/hh (per half hour)"]))
def test_a_column_named_as_interval_energy_keeps_its_values(values: list[int], name: str) -> None:
    """The same slowly rising values as a register's: the name says what they are."""
    text = _hourly(name, values)

    readings, _ = read(text, meter_id="m")

    assert [kwh for _, _, kwh in readings] == values


def _hourly(name: str, values: list[int]) -> str:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [f"{(start + timedelta(hours=i)).isoformat()},{v}" for i, v in enumerate(values)]
    return f"timestamp,{name}\n" + "\n".join(rows) + "\n"
