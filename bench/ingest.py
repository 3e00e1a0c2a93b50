"""Local ingest throughput: a CSV uploaded to a real server against the raw limit.

The raw limit is what the same machine does with no service at all: Python's `csv` parse of
the file plus SQLite `executemany` of the same rows into a table of the same schema. Wattkey's
figure is the whole path: the HTTP upload, the raw file kept, every row read, converted to UTC,
checked against a threshold and upserted. Target (design.md §9): >= 50% of the raw rows/s.

    python -m bench.ingest [--rows 1000000]
"""

import argparse
import csv
import sqlite3
import tempfile
import time
from pathlib import Path

import httpx

from storage.local.database import SCHEMA
from storage.local.readings import UPSERT
from tests.support import Operator, ServerProcess

METERS = 50
TARGET_RATIO = 0.5


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        handle.write("meter_id,timestamp,kwh\n")
        for n in range(rows):
            hour = n // METERS
            day, hour_of_day = divmod(hour, 24)
            date = f"{2020 + day // 336}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
            handle.write(f"meter-{n % METERS},{date}T{hour_of_day:02d}:00:00Z,{(n % 997) / 100}\n")


def raw_rows_per_second(source: Path, database: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(SCHEMA)
    with source.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch: list[tuple[str, str, str, float]] = []
        for meter, stamp, kwh in reader:
            batch.append(("app", meter, stamp, float(kwh)))
            if len(batch) == 5000:
                _write(connection, batch)
        _write(connection, batch)
    connection.close()
    return _rows(source) / (time.perf_counter() - started)


def _write(connection: sqlite3.Connection, batch: list[tuple[str, str, str, float]]) -> None:
    connection.execute("BEGIN")
    connection.executemany(UPSERT, batch)
    connection.execute("COMMIT")
    batch.clear()


def _rows(source: Path) -> int:
    with source.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def wattkey_rows_per_second(source: Path, scratch: Path, env: dict[str, str]) -> float:
    server = ServerProcess(env=env, log_path=scratch / "server.log").start()
    try:
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app(threshold_kwh=9.9)["id"])
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=600) as client:
            started = time.perf_counter()
            with source.open("rb") as body:
                answer = client.post(
                    "/uploads", content=body, headers={"Content-Type": "text/csv"}
                ).json()
            upload_id = answer["uploads"][0]["upload_id"]
            while (report := client.get(f"/uploads/{upload_id}").json())["status"] not in (
                "completed",
                "failed",
            ):
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
    finally:
        server.stop()
    assert report["rows_accepted"] == _rows(source), report
    return int(report["rows_accepted"]) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder:
        scratch = Path(folder)
        source = scratch / "readings.csv"
        write_csv(source, args.rows)
        raw = raw_rows_per_second(source, scratch / "raw.sqlite3")
        env = {"STORAGE_BACKEND": "local", "DATA_DIR": str(scratch / "data")}
        wattkey = wattkey_rows_per_second(source, scratch, env)
    ratio = wattkey / raw
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"rows               {args.rows:12,}")
    print(f"raw csv + sqlite   {raw:12,.0f} rows/s")
    print(f"wattkey upload     {wattkey:12,.0f} rows/s")
    print(f"ratio              {ratio:12.2f}  ({verdict} the target of >= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
