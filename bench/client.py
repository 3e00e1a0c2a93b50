"""The `wattkey` command: upload throughput beside curl, and its memory on a large file.

1. Throughput: 100 files of 10,000 rows to a real local server (`python server.py`,
   STORAGE_BACKEND=local, a fresh DATA_DIR), sent by `wattkey upload FOLDER` (which waits for
   every report) and by curl, one file after another, each awaited. Goal: wattkey >= 0.9 x curl.
2. Memory: the peak RSS of the `wattkey` process while it sends one 500 MB file
   (`--no-wait`: the sending, not the server's processing). Goal: <= 50 MB.

Prints the figures; asserts nothing.

    python -m bench.client [--files 100] [--rows 10000] [--megabytes 500]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.ingest import served, write_csv
from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess

WATTKEY = Path(sys.executable).parent / "wattkey"
THROUGHPUT_GOAL = 0.9
ROUNDS = 2
CURL = "curl, one file after another"
WATTKEY_UPLOAD = "wattkey upload FOLDER"
MEMORY_GOAL_MB = 50
CURL_LOOP = """
for file in "$FOLDER"/*.csv; do
    curl -sS -f -o /dev/null -X POST -H "X-API-Key: $KEY" -H "Content-Type: text/csv" \\
        --data-binary "@$file" "$URL/uploads?filename=$(basename "$file")" || exit 1
done
"""


def new_key(server: ServerProcess) -> str:
    """A key of an application of its own, so that each client's uploads stand apart."""
    operator = Operator.register(server.url)
    return operator.create_key(operator.create_app()["id"])


def env_for(server: ServerProcess, key: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WATTKEY_URL": server.url,
        "WATTKEY_API_KEY": key,
        "URL": server.url,
        "KEY": key,
        "FOLDER": str(folder),
    }


def seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def throughput(server: ServerProcess, folder: Path, rows: int) -> dict[str, float]:
    """Rows a second for each client, the best of ROUNDS, each run on a fresh application."""
    commands = {
        CURL: ["bash", "-c", CURL_LOOP],
        WATTKEY_UPLOAD: [str(WATTKEY), "upload", str(folder)],
    }
    best = dict.fromkeys(commands, 0.0)
    for _ in range(ROUNDS):  # alternating, so that neither has the server warmed up for it
        for name, command in commands.items():
            rate = rows / seconds(command, env_for(server, new_key(server), folder))
            best[name] = max(best[name], rate)
    return best


def peak_rss_mb(server: ServerProcess, source: Path) -> tuple[float, float]:
    """The peak RSS of `wattkey upload --no-wait FILE`, and its sending speed in MB/s.

    Read from /proc while it runs: the rusage of a child also counts the parent's pages it
    shared between fork and exec.
    """
    env = env_for(server, new_key(server), source.parent)
    started = time.perf_counter()
    command = subprocess.Popen(
        [str(WATTKEY), "upload", "--no-wait", str(source)], env=env, stdout=subprocess.DEVNULL
    )
    peak = 0.0
    while command.poll() is None:
        peak = max(peak, high_water_mb(command.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if command.returncode:
        raise RuntimeError(f"wattkey upload exited with {command.returncode}")
    return peak, source.stat().st_size / 1e6 / elapsed


def high_water_mb(pid: int) -> float:
    """VmHWM of a running process; 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0  # a zombie: its memory is gone


def write_files(folder: Path, files: int, rows: int) -> None:
    folder.mkdir()
    write_csv(folder / "readings-000.csv", rows)
    template = (folder / "readings-000.csv").read_text()
    for n in range(1, files):
        # Each file its own meters: no two files alike, as from many gateways.
        (folder / f"readings-{n:03d}.csv").write_text(template.replace("meter-", f"m{n}-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder:
        scratch = Path(folder)
        files = scratch / "files"
        write_files(files, args.files, args.rows)
        large = scratch / "large" / "readings.csv"
        large.parent.mkdir()
        bytes_per_row = (files / "readings-000.csv").stat().st_size / args.rows
        write_csv(large, int(args.megabytes * 1e6 / bytes_per_row))
        megabytes = large.stat().st_size / 1e6
        with served(local_env(scratch / "data"), scratch) as server:
            figures = throughput(server, files, args.files * args.rows)
            rss, speed = peak_rss_mb(server, large)
    print(f"throughput: {args.files} files of {args.rows:,} rows, local backend")
    for name, value in figures.items():
        print(f"  {name:<30} {value:10,.0f} rows/s")
    ratio = figures[WATTKEY_UPLOAD] / figures[CURL]
    print(f"  wattkey / curl {ratio:26.2f}  (goal >= {THROUGHPUT_GOAL})")
    print(f"memory: one {megabytes:,.0f} MB file, sent at {speed:,.0f} MB/s")
    print(f"  wattkey peak RSS {rss:24.1f} MB  (goal <= {MEMORY_GOAL_MB})")


if __name__ == "__main__":
    main()
