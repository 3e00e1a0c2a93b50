"""Ingest throughput: a CSV uploaded to a real server, against the raw limit of its backend.

local: the raw limit is Python's `csv` parse of the file plus SQLite `executemany` of the same
rows into a table keyed by application, meter and timestamp with no other index. The file
interleaves 1,000 meters. Target (README, Benchmarks): >= 50% of its rows/s.

aws: against the same DynamoDB endpoint (DynamoDB Local, started for the run), the raw limit
is the `csv` parse plus `BatchWriteItem` of the same items, 25 at a time, one request after
another; the naive way is one `PutItem` a row. Targets: >= 80% of the raw rows/s and >= 10x
the naive rows/s.

Wattkey's figure is the whole path: the HTTP upload, the raw file kept, every row read,
converted to UTC, checked against a threshold and upserted, until the report says completed.

    python -m bench.ingest [--backend local|aws] [--rows N]
"""

import argparse
import csv
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

import httpx

from bench.environments import BACKENDS, backend_env
from tests.e2e.backends import aws_client
from tests.support import Operator, ServerProcess

METERS = 1_000
RAW_TABLE = (
    "CREATE TABLE readings (app_id TEXT NOT NULL, meter_id TEXT NOT NULL,"
    " timestamp TEXT NOT NULL, kwh REAL NOT NULL, PRIMARY KEY (app_id, meter_id, timestamp))"
    " WITHOUT ROWID"
)
RAW_INSERT = "INSERT INTO readings VALUES (?, ?, ?, ?)"
DEFAULT_ROWS = {"local": 1_000_000, "aws": 100_000}
NAIVE_SAMPLE_ROWS = 3_000
WARM_UP_ROWS = 20_000
APP_ID = "bench-app"


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        handle.write("meter_id,timestamp,kwh\n")
        for n in range(rows):
            hour = n // METERS
            day, hour_of_day = divmod(hour, 24)
            date = f"{2020 + day // 336}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
            handle.write(f"meter-{n % METERS},{date}T{hour_of_day:02d}:00:00Z,{(n % 997) / 100}\n")


def csv_rows(source: Path) -> Iterator[tuple[str, str, float]]:
    with source.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for meter, stamp, kwh in reader:
            yield meter, stamp, float(kwh)


def count_rows(source: Path) -> int:
    with source.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def rows_per_second(rows: int, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return rows / (time.perf_counter() - started)


def raw_sqlite(source: Path, database: Path) -> None:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(RAW_TABLE)
    rows = ((APP_ID, *row) for row in csv_rows(source))
    while batch := list(islice(rows, 5000)):
        connection.execute("BEGIN")
        connection.executemany(RAW_INSERT, batch)
        connection.execute("COMMIT")
    connection.close()


def usage_item(meter: str, stamp: str, kwh: float) -> dict[str, Any]:
    """An item as the EnergyUsage table keeps it (README, DynamoDB tables)."""
    return {
        "pk": {"S": f"{APP_ID}#{meter}"},
        "timestamp": {"S": stamp},
        "app_id": {"S": APP_ID},
        "ts_meter": {"S": f"{stamp}#{meter}"},
        "kwh": {"N": repr(kwh)},
    }


def raw_batch_write(source: Path, dynamodb: Any, table: str) -> None:
    requests = ({"PutRequest": {"Item": usage_item(*row)}} for row in csv_rows(source))
    while batch := list(islice(requests, 25)):
        while batch:
            answer = dynamodb.batch_write_item(RequestItems={table: batch})
            batch = answer.get("UnprocessedItems", {}).get(table, [])


def naive_put_item(source: Path, dynamodb: Any, table: str) -> None:
    for row in islice(csv_rows(source), NAIVE_SAMPLE_ROWS):
        dynamodb.put_item(TableName=table, Item=usage_item(*row))


@contextmanager
def served(env: dict[str, str], scratch: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(env=env, log_path=scratch / "server.log").start()
    try:
        yield server
    finally:
        server.stop()


def finished_report(client: httpx.Client, answer: httpx.Response) -> dict[str, Any]:
    """The report of the upload `answer` accepted, once it is completed or failed."""
    upload_id = answer.json()["uploads"][0]["upload_id"]
    while True:
        report: dict[str, Any] = client.get(f"/uploads/{upload_id}").json()
        if report["status"] in ("completed", "failed"):
            return report
        time.sleep(0.05)


def wattkey_upload(server: ServerProcess, source: Path) -> float:
    operator = Operator.register(server.url)
    key = operator.create_key(operator.create_app(threshold_kwh=9.9)["id"])
    with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=900) as client:
        started = time.perf_counter()
        with source.open("rb") as body:
            answer = client.post("/uploads", content=body, headers={"Content-Type": "text/csv"})
        report = finished_report(client, answer)
        elapsed = time.perf_counter() - started
    assert report["rows_accepted"] == count_rows(source), report
    return int(report["rows_accepted"]) / elapsed


def local_figures(source: Path, scratch: Path, env: dict[str, str]) -> list[tuple[str, float]]:
    rows = count_rows(source)
    raw = rows_per_second(rows, lambda: raw_sqlite(source, scratch / "raw.sqlite3"))
    with served(env, scratch) as server:
        wattkey = wattkey_upload(server, source)
    return [("raw csv + sqlite", raw), ("wattkey upload", wattkey)]


def aws_figures(source: Path, scratch: Path, env: dict[str, str]) -> list[tuple[str, float]]:
    dynamodb = aws_client(env, "dynamodb")
    table = env["USAGE_TABLE"]  # created by the server; the raw writes use the same table
    rows = count_rows(source)
    with served(env, scratch) as server:
        # DynamoDB Local is a JVM: warm its JIT up first, or whatever runs first looks slow.
        warm_up = scratch / "warm-up.csv"
        write_csv(warm_up, WARM_UP_ROWS)
        raw_batch_write(warm_up, dynamodb, table)
        wattkey = wattkey_upload(server, source)
    raw = rows_per_second(rows, lambda: raw_batch_write(source, dynamodb, table))
    naive = rows_per_second(NAIVE_SAMPLE_ROWS, lambda: naive_put_item(source, dynamodb, table))
    return [
        ("raw csv + BatchWriteItem", raw),
        ("PutItem per row", naive),
        ("wattkey upload", wattkey),
    ]


def verdicts(backend: str, figures: dict[str, float]) -> list[str]:
    wattkey = figures["wattkey upload"]
    if backend == "local":
        ratio = wattkey / figures["raw csv + sqlite"]
        return [f"wattkey / raw        {ratio:8.2f}  (target >= 0.5)"]
    raw = wattkey / figures["raw csv + BatchWriteItem"]
    naive = wattkey / figures["PutItem per row"]
    return [
        f"wattkey / raw        {raw:8.2f}  (target >= 0.8)",
        f"wattkey / PutItem    {naive:8.2f}  (target >= 10)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKENDS, default="local")
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    rows = args.rows or DEFAULT_ROWS[args.backend]
    with (
        tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder,
        backend_env(args.backend, Path(folder)) as env,
    ):
        scratch = Path(folder)
        source = scratch / "readings.csv"
        write_csv(source, rows)
        measure = local_figures if args.backend == "local" else aws_figures
        figures = dict(measure(source, scratch, env))
    print(f"backend              {args.backend}, {rows:,} rows")
    for name, value in figures.items():
        print(f"{name:<24} {value:10,.0f} rows/s")
    for line in verdicts(args.backend, figures):
        print(line)


if __name__ == "__main__":
    main()
