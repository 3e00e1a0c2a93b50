"""Points become readings: times in UTC (the repeated autumn hour in file order), interval ends
moved to their starts, power into energy, registers into differences, and whatever one
channel holds from several sources (tariffs, phases) at one time summed."""

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from services.csv_reader.rows import Point, Rejected
from services.csv_reader.values import quoted
from storage.records import Reading

# Beyond any real meter, and inside what every store keeps (DynamoDB numbers: 1e-130..1e126).
MAX_KWH = 1e15
MIN_KWH = 1e-100
DECIMALS = 9
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
    """Times of one file in UTC text, each repeated local time in the order of the file."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone
        self._days = ZoneDays(zone)
        self._passes: dict[tuple[str, str, datetime], int] = {}
        self._last: tuple[datetime | None, datetime] = (None, datetime.min)

    def utc(self, moment: datetime, series: tuple[str, str]) -> datetime:
        # The points of one row share their time: the last conversion is kept for the next.
        if moment is self._last[0]:
            return self._last[1]
        if moment.tzinfo is not None:
            aware = moment
        elif (fixed := UTC if self._zone is UTC else self._days[moment.date()]) is not None:
            aware = moment.replace(tzinfo=fixed)
        else:
            return _in_utc(self._on_changing_day(moment, series))
        utc = _in_utc(aware)
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
        return later if passes > 1 else earlier


def _in_utc(moment: datetime) -> datetime:
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


class Series:
    """The readings a file's points make, summed per meter and time until drained."""

    def __init__(self, zone: tzinfo, step: timedelta | None) -> None:
        self.clock = Clock(zone)
        self._step = step
        self._hours = step / timedelta(hours=1) if step else 0.0
        self._registers: dict[tuple[str, str], tuple[datetime, float]] = {}
        self._sums: dict[tuple[str, str], dict[str, float]] = {}

    def add(self, point: Point) -> None:
        moment = self.clock.utc(point.when, (point.meter, point.source))
        if point.at_end:
            moment -= self._required_step("interval ends")
        if point.kind == "power":
            self._required_step("average power")
            self._sum(point.meter, moment, point.source, point.value * self._hours)
        elif point.kind == "register":
            self._difference(point, moment)
        else:
            self._sum(point.meter, moment, point.source, point.value)

    def drain(self) -> list[Reading]:
        readings = []
        for (meter, timestamp), parts in self._sums.items():
            kwh = sum(parts.values())
            readings.append(Reading(meter, timestamp, kwh))
        self._sums = {}
        return readings

    def _required_step(self, need: str) -> timedelta:
        if self._step is None:
            raise Rejected(f"The file has no regular interval, which reading {need} needs.")
        return self._step

    def _difference(self, point: Point, moment: datetime) -> None:
        """A register's reading less the one before it in time, at the earlier time."""
        key = (point.meter, point.source)
        before = self._registers.get(key)
        self._registers[key] = (moment, point.value)
        if before is None or before[0] == moment:
            return
        (earlier, first), last = before, point.value
        if moment < earlier:  # a file newest first
            (earlier, first), last = (moment, point.value), before[1]
        if last < first:
            raise Rejected(
                f"The register went down from {first:g} to {last:g} kWh (a new meter or a "
                "reset): no difference is stored across it."
            )
        # Rounded to the nano-kWh: 8350.001 - 8350.000 is 0.001, not 0.0010000000002.
        self._sum(point.meter, earlier, point.source, round(last - first, DECIMALS))

    def _sum(self, meter: str, moment: datetime, source: str, kwh: float) -> None:
        if not (MIN_KWH <= abs(kwh) <= MAX_KWH or kwh == 0.0):
            raise Rejected(
                f"The reading {kwh:g} kWh is out of range; readings are 0 or between "
                f"{MIN_KWH:g} and {MAX_KWH:g} kWh in magnitude."
            )
        self._sums.setdefault((meter, utc_text(moment)), {})[source] = kwh
