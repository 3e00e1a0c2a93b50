"""read_csv speed against a bare csv.reader parse of the same 1,000,000-row file.

python -m bench.csv_reader
"""

import csv
import tempfile
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from services.csv_reader import read_csv

ROWS = 1_000_000
METERS = 50
RUNS = 3
LOCAL_ZONE = ZoneInfo("Europe/Berlin")


def write_file(path: Path, stamp_format: str) -> None:
    """Hourly readings of METERS meters, every meter at each hour in turn."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", newline="") as out:
        out.write("meter_id,timestamp,kwh\n")
        for hour in range(ROWS // METERS):
            stamp = (start + timedelta(hours=hour)).strftime(stamp_format)
            out.writelines(
                f"meter-{meter:02d},{stamp},{(hour * 7 + meter) % 1000 / 100}\n"
                for meter in range(METERS)
            )


def rows_per_second(count_rows: Callable[[], int]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        if count_rows() != ROWS:
            raise SystemExit("a run did not see every row")
        best = min(best, time.perf_counter() - started)
    return ROWS / best


def raw_rows(path: Path) -> int:
    with path.open(newline="") as source:
        rows = csv.reader(source)
        deque(rows, maxlen=0)  # parse every row at C speed, keep none
        return rows.line_num - 1  # minus the header


def read_csv_rows(path: Path, timezone: ZoneInfo | None) -> int:
    with path.open("rb") as source:
        batches = read_csv(source, timezone=timezone)
        return sum(len(batch.readings) + len(batch.errors) for batch in batches)


def compare(label: str, path: Path, timezone: ZoneInfo | None) -> None:
    raw = rows_per_second(lambda: raw_rows(path))
    mine = rows_per_second(lambda: read_csv_rows(path, timezone))
    print(f"{label}: csv.reader {raw:,.0f} rows/s, read_csv {mine:,.0f} rows/s", end=", ")
    print(f"ratio {mine / raw:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        utc_file = Path(folder, "utc.csv")
        write_file(utc_file, "%Y-%m-%dT%H:%M:%SZ")
        compare("timestamps with Z", utc_file, None)
        local_file = Path(folder, "local.csv")
        write_file(local_file, "%Y-%m-%d %H:%M:%S")
        compare(f"local timestamps in {LOCAL_ZONE}", local_file, LOCAL_ZONE)


if __name__ == "__main__":
    main()
