"""Times of one file in UTC: each local day's offset looked up once, and on the days clocks
change each repeated local time in the order of the file."""

from datetime import UTC, date, datetime, time, timezone, tzinfo

from services.csv_reader.errors import Rejected
from services.csv_reader.series.cells import quoted

DAY_CACHE = 4096
# Where a local day's offset is looked at: a day whose clocks change shows two offsets.
DAY_PROBES = (time(0), time(12), time(23, 59, 59, 999_999))


class ZoneDays(dict[date, tzinfo | None]):
    """Per local day, the fixed zone of its one UTC offset, or None on a day the clocks
    change: most times then convert without asking the zone database twice."""

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self._zone = zone

    def __missing__(self, day: date) -> tzinfo | None:
        if len(self) >= DAY_CACHE:
            self.clear()
        offsets = {
            datetime.combine(day, probe.replace(fold=fold), self._zone).utcoffset()
            for probe in DAY_PROBES
            for fold in (0, 1)
        }
        (offset, *others) = offsets
        fixed = self[day] = timezone(offset) if offset is not None and not others else None
        return fixed


class Clock:
    """Times of one file in UTC, each repeated local time in the order of the file: the
    earlier offset first, or in a file that runs newest first, the later one first."""

    def __init__(self, zone: tzinfo, newest_first: bool = False) -> None:
        self._zone = zone
        self._newest_first = newest_first
        self._days = ZoneDays(zone)
        self._passes: dict[tuple[str, str, datetime], int] = {}
        self._last: tuple[datetime | None, datetime] = (None, datetime.min)

    def utc(self, moment: datetime, meter: str, source: str) -> datetime:
        """`meter` and `source` name the series: a repeated local time is counted per series."""
        # The points of one row share their time: the last conversion is kept for the next.
        if moment is self._last[0]:
            return self._last[1]
        if moment.tzinfo is not None:
            aware = moment
        elif (fixed := UTC if self._zone is UTC else self._days[moment.date()]) is not None:
            aware = moment.replace(tzinfo=fixed)
        else:
            return in_utc(self._on_changing_day(moment, (meter, source)))
        utc = in_utc(aware)
        self._last = (moment, utc)
        return utc

    def _on_changing_day(self, moment: datetime, series: tuple[str, str]) -> datetime:
        earlier = moment.replace(tzinfo=self._zone, fold=0)
        later = moment.replace(tzinfo=self._zone, fold=1)
        if earlier.utcoffset() == later.utcoffset():
            return earlier
        if earlier.astimezone(UTC).astimezone(self._zone).replace(tzinfo=None) != moment:
            shown = moment.strftime("%Y-%m-%d %H:%M" + (":%S" if moment.second else ""))
            raise Rejected(
                f"Timestamp {quoted(shown)} does not exist in {self._zone}: the clocks went "
                "forward past it."
            )
        key = (*series, moment)
        passes = self._passes[key] = self._passes.get(key, 0) + 1
        return later if (passes > 1) != self._newest_first else earlier


def in_utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise Rejected(
            f"Timestamp {moment.isoformat()} is outside the years 0001 to 9999 in UTC."
        ) from None


def utc_text(moment: datetime) -> str:
    # isoformat() is the quickest way; [:19] drops the offset; years keep four digits.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat()[:19] + "Z"
