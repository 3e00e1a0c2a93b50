"""Reading back an application's stored energy usage."""

from datetime import UTC, date, datetime, time

from services.clock import OutOfRange, to_text
from services.cursors import CursorSeal
from services.errors import InvalidInput
from storage.ports import Readings
from storage.records import Application, Page, Reading, ReadingQuery

__all__ = ["Reading", "UsageService"]


class UsageService:
    def __init__(self, readings: Readings, cursors: CursorSeal) -> None:
        self._readings = readings
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
