"""Summaries of stored readings: consumption totals with the other channels apart, and calendar
days of a time zone, 23 or 25 hours long when its clocks change."""

from datetime import UTC, datetime, timedelta

import pytest

from services.container import Services
from services.errors import ErrorCode, InvalidInput
from storage.ports import Storage
from storage.records import Application, ReadingRow
from tests.contract.readings import write


def hourly(meter: str, first: datetime, last: datetime, kwh: float) -> list[ReadingRow]:
    """A reading of `kwh` every hour from `first` to `last`, both included."""
    hours = int((last - first) / timedelta(hours=1))
    stamps = (first + timedelta(hours=n) for n in range(hours + 1))
    return [(meter, f"{stamp:%Y-%m-%dT%H:%M:%SZ}", kwh) for stamp in stamps]


def elapsed_hours(start: datetime, end: datetime) -> float:
    """Hours that passed: in one zone, aware datetimes subtract as wall-clock times."""
    return (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(hours=1)


def test_the_total_is_consumption_and_the_channels_are_apart(
    services: Services, storage: Storage, app: Application
) -> None:
    day = datetime(2025, 1, 1, tzinfo=UTC)
    write(
        storage,
        app.id,
        hourly("home", day, day + timedelta(hours=1), 1.0)
        + hourly("barn", day, day, 0.5)
        + hourly("home:export", day, day + timedelta(hours=1), 0.25)
        + hourly("home:generation", day, day + timedelta(hours=1), 2.0),
    )

    summary = services.usage.summary(app, "day", "2025-01-01", "2025-01-02", None, "UTC")

    assert summary.total_kwh == 2.5
    assert [bucket.total.readings for bucket in summary.buckets] == [3]
    assert summary.channels == {"export": 0.5, "generation": 4.0}
    home = services.usage.summary(app, "day", "2025-01-01", "2025-01-02", "home", "UTC")
    assert (home.total_kwh, home.channels) == (2.0, {})
    export = services.usage.summary(app, "day", "2025-01-01", "2025-01-02", "home:export", "UTC")
    assert (export.total_kwh, export.channels) == (0.5, {})


@pytest.mark.parametrize(
    ("first_day", "hours_per_day"),
    [("2025-03-29", [24, 23, 24]), ("2025-10-25", [24, 25, 24])],
    ids=["clocks go forward", "clocks go back"],
)
def test_days_begin_at_midnight_in_the_zone_and_last_23_or_25_hours_when_clocks_change(
    services: Services,
    storage: Storage,
    app: Application,
    first_day: str,
    hours_per_day: list[int],
) -> None:
    day = datetime.fromisoformat(first_day).replace(tzinfo=UTC)
    # Every hour, with a day's margin each side.
    write(storage, app.id, hourly("home", day - timedelta(days=1), day + timedelta(days=4), 1.0))
    end = (day + timedelta(days=3)).date().isoformat()

    summary = services.usage.summary(app, "day", first_day, end, None, "Europe/Berlin")

    assert [f"{b.start:%Y-%m-%d %H:%M}" for b in summary.buckets] == [
        f"{day + timedelta(days=n):%Y-%m-%d} 00:00" for n in range(3)
    ]
    assert [elapsed_hours(b.start, b.end) for b in summary.buckets] == hours_per_day
    assert [b.total.readings for b in summary.buckets] == hours_per_day
    assert summary.total_kwh == sum(hours_per_day)
    assert summary.channels == {}


def test_a_range_or_zone_that_cannot_be_summed_is_refused(
    services: Services, app: Application
) -> None:
    for start, end, zone in (
        ("2025-01-02", "2025-01-01", "UTC"),
        ("2025-01-01", "2025-01-02", "Mars/Olympus"),
        ("yesterday", "2025-01-02", "UTC"),
    ):
        with pytest.raises(InvalidInput) as refusal:
            services.usage.summary(app, "day", start, end, None, zone)
        assert refusal.value.code == ErrorCode.VALIDATION_FAILED
