"""Points become readings: times in UTC (the repeated autumn hour in file order), interval ends
moved to their starts, power into energy, registers into differences, and whatever one
channel holds from several sources (tariffs, phases) at one time summed."""

from datetime import UTC, datetime, timedelta, tzinfo

from services.csv_reader.rows import Point, Rejected
from services.csv_reader.values import quoted
from storage.records import Reading

# Beyond any real meter, and inside what every store keeps (DynamoDB numbers: 1e-130..1e126).
MAX_KWH = 1e15
MIN_KWH = 1e-100
DECIMALS = 9
# Stamp texts converted once each; files repeat their times across meters.
CLOCK_CACHE = 8192


class Clock:
    """Times of one file in UTC text, each repeated local time in the order of the file."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone
        self._passes: dict[tuple[str, str, datetime], int] = {}

    def utc(self, moment: datetime, series: tuple[str, str]) -> datetime:
        if moment.tzinfo is None:
            moment = self._localised(moment, series)
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise Rejected(
                f"Timestamp {moment.isoformat()} is outside the years 0001 to 9999 in UTC."
            ) from None

    def _localised(self, moment: datetime, series: tuple[str, str]) -> datetime:
        if self._zone is UTC:
            return moment.replace(tzinfo=UTC)
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


def utc_text(moment: datetime) -> str:
    # isoformat() is the quickest way; [:19] drops the offset; years keep four digits.
    return moment.astimezone(UTC).isoformat()[:19] + "Z"


class Series:
    """The readings a file's points make, summed per meter and time until drained."""

    def __init__(self, zone: tzinfo, step: timedelta | None) -> None:
        self.clock = Clock(zone)
        self._step = step
        self._registers: dict[tuple[str, str], tuple[datetime, float]] = {}
        self._sums: dict[tuple[str, str], dict[str, float]] = {}

    def add(self, point: Point) -> None:
        moment = self.clock.utc(point.when, (point.meter, point.source))
        if point.at_end:
            moment -= self._required_step("interval ends")
        if point.kind == "power":
            kwh = point.value * self._required_step("average power") / timedelta(hours=1)
            self._sum(point.meter, moment, point.source, kwh)
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
        (earlier, first), (_, last) = sorted([before, (moment, point.value)])
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
