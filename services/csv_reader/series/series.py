"""Points become readings: times in UTC (the repeated autumn hour in file order), interval ends
moved to their starts, power into energy, registers into differences, and whatever one
channel holds from several sources (tariffs, phases) at one time summed."""

from datetime import UTC as UTC_ZONE
from datetime import datetime, timedelta, tzinfo

from services.csv_reader.errors import Rejected
from services.csv_reader.series.clock import Clock, utc_text
from services.csv_reader.series.points import Point
from services.csv_reader.series.readings import Reading
from services.csv_reader.series.repeats import Repeats

# Beyond any real meter, and inside what every store keeps (DynamoDB numbers: 1e-130..1e126).
MAX_KWH = 1e15
MIN_KWH = 1e-100
DECIMALS = 9
# A register that falls to this share of its value or less was restarted (a counter reset
# each night, a new meter), as Home Assistant reads its `total_increasing` sensors.
RESET_SHARE = 0.05


class Series:
    """The readings a file's points make, summed per meter and time until drained."""

    def __init__(self, zone: tzinfo, step: timedelta | None, newest_first: bool = False) -> None:
        self.clock = Clock(zone, newest_first)
        self._zone = zone
        self._repeats = Repeats()
        self._step = step
        self._hours = step / timedelta(hours=1) if step else 0.0
        self._registers: dict[tuple[str, str], tuple[datetime, float]] = {}
        self._sums: dict[tuple[str, str], dict[str, float]] = {}
        self._text_of: tuple[datetime | None, str] = (None, "")

    def add(self, point: Point) -> None:
        moment = self.clock.utc(point.when, point.meter, point.source)
        if point.at_end:
            moment -= self._required_step("interval ends")
        repeated = self._repeats.seen(point.meter, point.source, moment, point.value)
        if repeated is None:  # the same row again
            return
        if repeated:
            raise Rejected(self._repeated(point, moment))
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
            readings.append(Reading(meter, timestamp, sum(parts.values())))
        self._sums = {}
        return readings

    def _repeated(self, point: Point, moment: datetime) -> str:
        column = point.source.split("|")[0]
        sentence = (
            f"Meter {point.meter} has a reading at {utc_text(moment)} from the column "
            f"{column!r} on an earlier line already; this one is not stored."
        )
        if self._zone is UTC_ZONE and point.when.tzinfo is None:
            sentence += " If the clocks went back in the file's zone, send it as `timezone`."
        return sentence

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
        if 0 <= last <= RESET_SHARE * first:  # restarted: it counted from zero since
            first = 0.0
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
        if moment is not self._text_of[0]:  # a row's points share their time
            self._text_of = (moment, utc_text(moment))
        self._sums.setdefault((meter, self._text_of[1]), {})[source] = kwh
