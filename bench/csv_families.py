"""read_csv speed per layout family, in readings per second, against the generic layout.

Each family's file is written the way its exporter writes it (preamble, separators, decimal
commas, local day-first dates, registers, power, day rows) and holds about READINGS readings.
The target: no family costs more than twice the generic layout per reading.

python -m bench.csv_families
"""

import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice, pairwise
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from services.csv_reader import read_csv

READINGS = 200_000
RUNS = 5
ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2024, 1, 1)
QUARTER = timedelta(minutes=15)

Lines = Callable[[], Iterator[str]]


def moments(step: timedelta = QUARTER) -> Iterator[datetime]:
    """Wall-clock times in ZONE as an exporter writes them: the spring hour skipped, the
    autumn hour twice."""
    moment = START.replace(tzinfo=ZONE).astimezone(UTC)  # steps in UTC, not on the wall clock
    while True:
        yield moment.astimezone(ZONE).replace(tzinfo=None)
        moment += step


def days() -> Iterator[datetime]:
    day = START
    while True:
        yield day
        day += timedelta(days=1)


def value(n: int) -> float:
    return (n * 37) % 500 / 1000


def generic() -> Iterator[str]:
    yield "meter_id,timestamp,kwh"
    for n, moment in enumerate(islice(moments(), READINGS)):
        yield f"m-{n % 20},{moment:%Y-%m-%d %H:%M:%S},{value(n)}"


def european() -> Iterator[str]:
    """A portal's profile: `;`, decimal commas, day-first local dates, a unit in the header."""
    yield "Datum;Uhrzeit;Verbrauch [kWh];Status"
    for n, moment in enumerate(islice(moments(), READINGS)):
        usage = f"{value(n):.3f}".replace(".", ",")
        yield f"{moment:%d.%m.%Y};{moment:%H:%M};{usage};W"


def green_button() -> Iterator[str]:
    """A utility download: a name-and-address preamble, date, start and end times, notes."""
    yield from ("Name,JANE Q CUSTOMER", "Account Number,5512034478", "", "")
    yield "TYPE,DATE,START TIME,END TIME,USAGE (kWh),NOTES"
    for n, moment in enumerate(islice(moments(), READINGS)):
        end = moment + QUARTER - timedelta(minutes=1)
        yield f"Electric usage,{moment:%Y-%m-%d},{moment:%H:%M},{end:%H:%M},{value(n):.2f},"


def power() -> Iterator[str]:
    """A network's half-hourly data in kW, with interval-end times, newest first."""
    yield "MPRN,Meter Serial Number,Read Value,Read Type,Read Date and End Time"
    ends = list(islice(moments(timedelta(minutes=30)), READINGS))
    for n, end in enumerate(reversed(ends)):
        read = f"{value(n):.3f},Active Import Interval (kW),{end:%d-%m-%Y %H:%M}"
        yield f"10012345679,000000000023405679,{read}"


def registers() -> Iterator[str]:
    """A P1 gateway: four tariff registers that only grow, two readings per row."""
    yield "time,Import T1 kWh,Import T2 kWh,Export T1 kWh,Export T2 kWh"
    totals = [8350.0, 4650.0, 3095.0, 7450.0]
    for n, moment in enumerate(islice(moments(), READINGS // 2)):
        totals = [t + value(n + k) for k, t in enumerate(totals)]
        yield f"{moment:%Y-%m-%d %H:%M}," + ",".join(f"{t:.3f}" for t in totals)


def wide() -> Iterator[str]:
    """A portal's day rows: a date, then 96 quarter-hour columns named by their span."""
    spans = [START + QUARTER * q for q in range(97)]
    yield "Giorno;" + ";".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in pairwise(spans))
    for day in islice(days(), READINGS // 96):
        cells = (_wide_cell(day + QUARTER * q, q) for q in range(96))
        yield f'"{day:%d/%m/%Y}";' + ";".join(cells)


def _wide_cell(moment: datetime, n: int) -> str:
    """Empty where the clocks went forward past the quarter hour, as portals leave it."""
    real = moment.replace(tzinfo=ZONE).astimezone(UTC).astimezone(ZONE).replace(tzinfo=None)
    return f'"{value(n):.3f}"'.replace(".", ",") if real == moment else '""'


def nem12() -> Iterator[str]:
    """An Australian meter data file: 300 records of 48 half-hour values a day."""
    yield "100,NEM12,202501310930,MDP,RETAILER"
    yield "200,NMI0000001,E1,1,E1,N1,MTR1,KWH,30,"
    for day in islice(days(), READINGS // 48):
        values = ",".join(f"{value(q):.3f}" for q in range(48))
        yield f"300,{day:%Y%m%d},{values},A,,,20250131093000,"
    yield "900"


class Family(NamedTuple):
    lines: Lines
    values_per_reading: float  # number cells read for each reading stored


FAMILIES: dict[str, Family] = {
    "generic layout": Family(generic, 1),
    "European profile": Family(european, 1),
    "Green Button": Family(green_button, 1),
    "average power (kW)": Family(power, 1),
    "tariff registers": Family(registers, 2),  # four registers make import and export
    "wide day rows": Family(wide, 1),
    "NEM12": Family(nem12, 1),
}


def read_once(path: Path) -> tuple[float, int]:
    """Seconds to read the file, and the readings it gave."""
    started = time.perf_counter()
    with path.open("rb") as source:
        batches = list(read_csv(source, timezone=ZONE, meter_id="m"))
    seconds = time.perf_counter() - started
    errors = [error for batch in batches for error in batch.errors]
    if errors:
        raise SystemExit(f"{path.name}: {len(errors)} rows refused, first {errors[:3]}")
    return seconds, sum(len(batch.readings) for batch in batches)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder, f"{name}.csv") for name in FAMILIES}
        for name, path in paths.items():
            path.write_text("\n".join(FAMILIES[name].lines()) + "\n", encoding="utf-8")
        best = dict.fromkeys(FAMILIES, float("inf"))
        # Rounds over every file in turn: a noisy neighbour slows all families alike.
        for _ in range(RUNS):
            for name, path in paths.items():
                seconds, count = read_once(path)
                best[name] = min(best[name], seconds / count)
        base = best["generic layout"]
        for name, family in FAMILIES.items():
            per_value = best[name] / family.values_per_reading
            print(
                f"{name:<20} {1 / best[name]:>10,.0f} readings/s  "
                f"{best[name] / base:.2f}x the generic cost per reading, "
                f"{per_value / base:.2f}x per value read"
            )


if __name__ == "__main__":
    main()
