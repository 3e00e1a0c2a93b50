"""Reading back an application's stored energy usage."""

from datetime import UTC, datetime

from services.clock import to_text
from services.errors import InvalidInput
from storage.ports import Readings
from storage.records import Application, Page, Reading

__all__ = ["Reading", "UsageService"]


class UsageService:
    def __init__(self, readings: Readings) -> None:
        self._readings = readings

    def query(
        self,
        app: Application,
        meter_id: str | None,
        start: str | None,
        end: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[Reading]:
        """Readings oldest first; `start` and `end` are inclusive ISO 8601 bounds."""
        lower = parse_bound("start", start)
        upper = parse_bound("end", end)
        if lower and upper and lower > upper:
            raise InvalidInput("start must not be after end.")
        return self._readings.query(app.id, meter_id or None, lower, upper, limit, cursor)


def parse_bound(name: str, value: str | None) -> str | None:
    """ISO 8601 text as stored UTC text; without an offset it is UTC, a date alone is midnight."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidInput(
            f"{name} must be an ISO 8601 date or time, such as 2025-01-31T00:00:00Z."
        ) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_text(moment)
