"""What deciding over the whole file costs: the reader's evidence pass against the ingest of
the same 1,000,000-row file through a real server on the local backend.

Three files: the generic layout (its questions settle in its first rows), a European export
whose dates cannot tell day from month until the 13th of the month (the date question stays
open through a third of the file), and a register named by its unit alone (the register
question stays open to the last row). Target (README, Benchmarks): the evidence pass costs at
most 20% of the ingest time.

    python -m bench.evidence [--rows N]
"""

import argparse
import io
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bench.ingest import finished_report, served
from services.csv_reader import read_csv
from services.csv_reader.text.encoding import examine
from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess

METERS = 1000
DEFAULT_ROWS = 1_000_000
START = datetime(2024, 3, 1)


def stamps(rows: int) -> list[tuple[int, datetime]]:
    """Each row's meter and hour: every meter at each hour in turn."""
    return [(n % METERS, START + timedelta(hours=n // METERS)) for n in range(rows)]


def generic(rows: int) -> str:
    lines = [
        f"m-{m},{at:%Y-%m-%dT%H:%M:%SZ},{n % 97 / 10}" for n, (m, at) in enumerate(stamps(rows))
    ]
    return "meter_id,timestamp,kwh\n" + "\n".join(lines) + "\n"


def european(rows: int) -> str:
    """Day-first dates from the 1st of the month: only the 13th tells them from month-first."""
    lines = [
        f"AT{m:031d};{at:%d.%m.%Y};{at:%H:%M};{str(n % 97 / 10).replace('.', ',')}"
        for n, (m, at) in enumerate(stamps(rows))
    ]
    return "Zählpunkt;Datum;Zeit;Wert\n" + "\n".join(lines) + "\n"


def register(rows: int) -> str:
    """A meter reading named by its unit alone, rising a quarter kWh an hour."""
    lines = [
        f"m-{m},{at:%Y-%m-%dT%H:%M:%SZ},{1000 + n // METERS * 0.25:.2f}"
        for n, (m, at) in enumerate(stamps(rows))
    ]
    return "meter_id,timestamp,kWh\n" + "\n".join(lines) + "\n"


def ingest_seconds(server: ServerProcess, source: Path) -> float:
    """From the request's first byte to the report saying completed."""
    operator = Operator.register(server.url)
    key = operator.create_key(operator.create_app()["id"])
    with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=900) as client:
        started = time.perf_counter()
        with source.open("rb") as body:
            answer = client.post("/uploads", content=body, headers={"Content-Type": "text/csv"})
        report = finished_report(client, answer)
        elapsed = time.perf_counter() - started
    assert report["status"] == "completed", report
    return elapsed


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def phases(data: bytes) -> tuple[float, float]:
    """The byte pass alone, and the byte pass with the evidence pass (read_csv's return)."""
    whole = seconds(lambda: examine(io.BytesIO(data)))
    with_evidence = seconds(lambda: read_csv(io.BytesIO(data), meter_id="m"))
    return whole, with_evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder:
        scratch = Path(folder)
        with served(local_env(scratch / "data"), scratch) as server:
            for name, write in (
                ("generic", generic),
                ("European", european),
                ("register", register),
            ):
                source = scratch / f"{name}.csv"
                source.write_text(write(args.rows), encoding="utf-8")
                data = source.read_bytes()
                byte_pass, before_rows = phases(data)
                evidence = before_rows - byte_pass
                ingest = ingest_seconds(server, source)
                print(
                    f"{name:<9} evidence pass {evidence:6.2f} s, whole-file byte pass "
                    f"{byte_pass:5.2f} s, ingest {ingest:6.2f} s: evidence "
                    f"{evidence / ingest:5.1%} of ingest (target <= 20%)"
                )


if __name__ == "__main__":
    main()
