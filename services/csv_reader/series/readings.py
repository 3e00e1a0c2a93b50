"""What the reader gives: readings, in UTC and kWh."""

from typing import NamedTuple


class Reading(NamedTuple):
    meter_id: str
    timestamp: str  # UTC, YYYY-MM-DDTHH:MM:SSZ
    kwh: float
