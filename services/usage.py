"""Reading back an application's stored energy usage: readings, summaries, meters."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from services.clock import OutOfRange, to_text
from services.cursors import CursorSeal
from services.errors import InvalidInput
from services.summary_buckets import Interval, bucket_edges, moment_in, zone_named
from storage.ports import Meters, Readings
from storage.records import Application, BucketTotal, MeterSpan, Page, Reading, ReadingQuery

__all__ = ["Interval", "MeterSpan", "Reading", "Summary", "UsageService"]


@dataclass(frozen=True)
class SummaryBucket:
    start: datetime
    end: datetime
    total: BucketTotal


@dataclass(frozen=True)
class Summary:
    interval: Interval
    timezone: str
    meter_id: str | None
    start: datetime
    end: datetime
    buckets: list[SummaryBucket]
    channels: dict[str, float]  # each channel's total over the range, without `meter_id`

    @property
    def total_kwh(self) -> float:
        return sum(bucket.total.kwh for bucket in self.buckets)


class UsageService:
    def __init__(self, readings: Readings, meters: Meters, cursors: CursorSeal) -> None:
        self._readings = readings
        self._meters = meters
        self._cursors = cursors

    def query(
        self,
        app: Application,
        meter_id: str | None,
        start: str | None,
        end: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Reading]:
        """Readings oldest first, `start` to `end` inclusive; a date alone as `end` is that day."""
        lower = parse_bound("start", start, end_of_day=False)
        upper = parse_bound("end", end, end_of_day=True)
        if lower and upper and lower > upper:
            raise InvalidInput("start must not be after end.")
        return self._cursors.page(
            f"usage:{app.id}",
            cursor,
            lambda opened: self._readings.query(
                ReadingQuery(app.id, meter_id or None, lower, upper, limit, opened)
            ),
        )

    def summary(
        self,
        app: Application,
        interval: Interval,
        start: str,
        end: str,
        meter_id: str | None,
        timezone: str,
    ) -> Summary:
        """Totals per calendar bucket of `timezone` over [start, end), every bucket listed."""
        zone = zone_named(timezone)
        edges = bucket_edges(interval, moment_in("start", start, zone), moment_in("end", end, zone))
        meter = meter_id or None
        try:
            texts = [to_text(edge) for edge in edges]
        except OutOfRange as error:
            raise InvalidInput(
                f"{error}: a bucket of the summary would begin there; choose a range inside "
                "those years."
            ) from None
        totals = self._readings.totals(app.id, meter, texts)
        buckets = [
            SummaryBucket(lower, upper, total)
            for lower, upper, total in zip(edges[:-1], edges[1:], totals.buckets, strict=True)
        ]
        channels = dict(sorted(totals.channels.items()))
        return Summary(interval, timezone, meter, edges[0], edges[-1], buckets, channels)

    def meters(self, app: Application, limit: int, cursor: str | None) -> Page[MeterSpan]:
        return self._cursors.page(
            f"meters:{app.id}", cursor, lambda opened: self._meters.list(app.id, limit, opened)
        )


def parse_bound(name: str, value: str | None, *, end_of_day: bool) -> str | None:
    """ISO 8601 text as stored UTC text; without an offset it is UTC.

    A date alone is its first second, or its last one when it bounds a range from above.
    """
    if not value:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            f"{name} must be an ISO 8601 date or time, such as 2025-01-31T00:00:00Z."
        ) from error
    if end_of_day and _is_date(text):
        moment = datetime.combine(moment.date(), time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return to_text(moment)
    except OutOfRange as error:
        raise InvalidInput(f"{name}: {error}.") from None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
