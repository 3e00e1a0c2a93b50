"""The buckets of a usage summary: calendar hours, days or months of one time zone.

Days and months begin at local midnight, so the day clocks change has 23 or 25 hours; hours
are whole hours of elapsed time, labelled in local time. The first and last buckets are cut
to the summary's range: together the buckets cover [start, end) exactly.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.errors import InvalidInput

Interval = Literal["hour", "day", "month"]
MAX_BUCKETS = 10_000


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"timezone {name[:64]!r} is not a time zone; use an IANA name such as Europe/Berlin."
        ) from None


def moment_in(name: str, text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date or date and time, read in `zone` unless it carries an offset."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{name} must be an ISO 8601 date or date and time, such as 2025-01-31 or "
            "2025-01-31T06:00:00."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(zone).replace(microsecond=0)
    except OverflowError:
        raise InvalidInput(f"{name} is outside the years 0001 to 9999.") from None


def bucket_edges(interval: Interval, start: datetime, end: datetime) -> list[datetime]:
    """start, each calendar boundary strictly inside the range, end; in start's zone."""
    if end <= start:
        raise InvalidInput("end must be after start.")
    edges = [start]
    try:
        boundary = _next(interval, start)
        while boundary < end:
            if len(edges) == MAX_BUCKETS:
                raise InvalidInput(
                    f"The range holds more than {MAX_BUCKETS} {interval}s; "
                    "ask for a shorter range or a longer interval."
                )
            edges.append(boundary)
            boundary = _next(interval, boundary)
    except OverflowError:
        pass  # the calendar ends before the range does
    edges.append(end)
    return edges


def _next(interval: Interval, moment: datetime) -> datetime:
    zone = moment.tzinfo
    assert zone is not None
    if interval == "hour":
        hour = moment.replace(minute=0, second=0)
        return (hour.astimezone(UTC) + timedelta(hours=1)).astimezone(zone)
    day = moment.date()
    if interval == "day":
        following = day + timedelta(days=1)
    else:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return _local_midnight(following, zone)


def _local_midnight(day: date, zone: object) -> datetime:
    """Where the day begins: midnight, or the first moment after it when clocks skip it."""
    midnight = datetime.combine(day, time(), tzinfo=zone)  # type: ignore[arg-type]
    return midnight.astimezone(UTC).astimezone(midnight.tzinfo)
