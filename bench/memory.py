"""Server memory while ingesting a large file: peak RSS growth of the server process.

Uploads a ~230 MB CSV (multipart, then as a raw text/csv body), then a file of the same size
that is one endless line, to a real server on the local backend and reads the process's peak
RSS (VmHWM) before and after each. Target (README, Benchmarks): growth <= 150 MB, whatever the
file.

    python -m bench.memory [--megabytes 230]
"""

import argparse
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.ingest import finished_report, write_csv
from tests.support import Operator, ServerProcess

BYTES_PER_ROW = 34
TARGET_MB = 150


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc: this script needs Linux")


def reset_peak(pid: int) -> None:
    """Forget the peak so far (argon2 hashing at sign-up alone takes 64 MB for a moment)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def write_one_line(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(b"meter_id,timestamp,kwh\n")
        for _ in range(size // 2**20):
            out.write(b"9" * 2**20)


def upload(client: httpx.Client, source: Path, multipart: bool) -> dict[str, Any]:
    with source.open("rb") as body:
        if multipart:
            answer = client.post("/uploads", files={"files": ("big.csv", body, "text/csv")})
        else:
            answer = client.post("/uploads", content=body, headers={"Content-Type": "text/csv"})
    return finished_report(client, answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=230)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder:
        scratch = Path(folder)
        source = scratch / "big.csv"
        write_csv(source, args.megabytes * 1024 * 1024 // BYTES_PER_ROW)
        endless = scratch / "endless.csv"
        write_one_line(endless, args.megabytes * 1024 * 1024)
        env = {"STORAGE_BACKEND": "local", "DATA_DIR": str(scratch / "data")}
        server = ServerProcess(env=env, log_path=scratch / "server.log").start()
        assert server.process is not None
        try:
            operator = Operator.register(server.url)
            key = operator.create_key(operator.create_app(threshold_kwh=9.0)["id"])
            headers = {"X-API-Key": key}
            with httpx.Client(base_url=server.url, headers=headers, timeout=900) as client:
                client.get("/usage")
                reset_peak(server.process.pid)
                before = peak_rss_mb(server.process.pid)
                print(f"file               {source.stat().st_size / 2**20:10.0f} MB")
                print(f"peak RSS at rest   {before:10.0f} MB")
                for kind, path, multipart in (
                    ("multipart", source, True),
                    ("raw body", source, False),
                    ("one endless line", endless, False),
                ):
                    report = upload(client, path, multipart)
                    growth = peak_rss_mb(server.process.pid) - before
                    verdict = "meets" if growth <= TARGET_MB else "MISSES"
                    outcome = f"{report['rows_accepted']:,} rows, {report['status']}"
                    print(
                        f"{kind:<18} +{growth:9.0f} MB peak  ({verdict} <= {TARGET_MB} MB;"
                        f" {outcome})"
                    )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
