"""What rejected rows cost, and whether one tenant's garbage slows another tenant's upload.

1. A file whose every row is rejected (a value that is no number) against the same file with
   good values, each uploaded to a real server and read to its report: the cost of a rejected
   row over an accepted one. Target (README, Benchmarks): <= 2.
2. A tenant's 3 MB upload read alone, then again while another tenant's two garbage files
   (each as large as the first file) are being read: the ratio of its times. Processing is
   shared between applications, so the garbage only takes its turn.

    python -m bench.rejections [--backend local|aws] [--rows N]
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.environments import BACKENDS, backend_env
from bench.ingest import finished_report, served
from tests.support import Operator, ServerProcess

DEFAULT_ROWS = {"local": 400_000, "aws": 200_000}
SMALL_ROWS = 90_000  # about 3 MB


def write_file(path: Path, rows: int, good: bool, meter: str = "m") -> None:
    with path.open("w", newline="") as out:
        out.write("meter_id,timestamp,kwh\n")
        for n in range(rows):
            day, quarter = divmod(n, 96)
            stamp = f"{2020 + day // 365}-{1 + day % 365 // 31 % 12:02d}-{1 + day % 28:02d}"
            value = f"{n % 997 / 100}" if good else f"{n % 997}kWh?"
            out.write(f"{meter},{stamp}T{quarter // 4:02d}:{quarter % 4 * 15:02d}:00Z,{value}\n")


def tenant(server: ServerProcess) -> httpx.Client:
    operator = Operator.register(server.url)
    key = operator.create_key(operator.create_app()["id"])
    return httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=900)


def upload_seconds(client: httpx.Client, source: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as body:
        answer = client.post(
            "/uploads",
            content=body,
            params={"force": "true"},  # the same file again is read again
            headers={"Content-Type": "text/csv"},
        )
    answer.raise_for_status()
    finished_report(client, answer)
    return time.perf_counter() - started


def rejection_cost(
    server: ServerProcess, warm_up: Path, good: Path, bad: Path
) -> tuple[float, float]:
    with tenant(server) as client:
        upload_seconds(client, warm_up)
        accepted = upload_seconds(client, good)
        rejected = upload_seconds(client, bad)
    return accepted, rejected


def fairness(server: ServerProcess, small: list[Path], garbage: Path) -> tuple[float, float]:
    """`small`: two files of the same size and other meters, so neither is a re-upload."""
    with tenant(server) as victim, tenant(server) as noisy:
        alone = upload_seconds(victim, small[0])
        floods = [threading.Thread(target=upload_seconds, args=(noisy, garbage)) for _ in range(2)]
        for flood in floods:
            flood.start()
        time.sleep(1.0)  # both garbage files are being read
        shared = upload_seconds(victim, small[1])
        for flood in floods:
            flood.join()
    return alone, shared


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
        warm_up, good, bad = scratch / "warm-up.csv", scratch / "good.csv", scratch / "bad.csv"
        write_file(warm_up, rows, good=True, meter="warm-up")
        small = [scratch / "small-1.csv", scratch / "small-2.csv"]
        write_file(good, rows, good=True)
        write_file(bad, rows, good=False)
        for n, path in enumerate(small):
            write_file(path, SMALL_ROWS, good=True, meter=f"victim-{n}")
        with served(env, scratch) as server:
            accepted, rejected = rejection_cost(server, warm_up, good, bad)
            alone, shared = fairness(server, small, bad)
    print(f"backend                    {args.backend}, {rows:,} rows a file")
    print(f"accepted file              {accepted:8.2f} s  ({rows / accepted:,.0f} rows/s)")
    print(f"rejected file              {rejected:8.2f} s  ({rows / rejected:,.0f} rows/s)")
    print(f"rejected / accepted row    {rejected / accepted:8.2f}  (target <= 2)")
    print(f"3 MB upload alone          {alone:8.2f} s")
    print(f"... beside 2 garbage files {shared:8.2f} s  ({shared / alone:.1f}x)")


if __name__ == "__main__":
    main()
