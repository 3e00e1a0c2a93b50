"""Authenticated request overhead: GET /protected with a valid key against GET /health.

Starts a real `python server.py` (the local backend in a temporary DATA_DIR unless told
otherwise), then loads each route with wrk (16 connections) and prints requests/s and the
ratio. Target (README, Benchmarks): /protected reaches at least half the requests/s of /health.

    python -m bench.auth [--seconds 10] [--backend local|aws]

With --backend aws the run starts DynamoDB Local and moto for the server (as `make test` does).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.environments import BACKENDS, backend_env
from tests.support import Operator, ServerProcess

CONNECTIONS = 16
TARGET_RATIO = 0.5


def requests_per_second(url: str, seconds: int, headers: dict[str, str]) -> float:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--backend", choices=BACKENDS, default="local")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian) or `brew install wrk`.")
    with (
        tempfile.TemporaryDirectory(prefix="wattkey-bench-") as scratch,
        backend_env(args.backend, Path(scratch)) as env,
    ):
        server = ServerProcess(env=env, log_path=Path(scratch) / "server.log").start()
        try:
            operator = Operator.register(server.url)
            key = operator.create_key(operator.create_app()["id"])
            requests_per_second(f"{server.url}/health", 2, {})  # warm up
            health = requests_per_second(f"{server.url}/health", args.seconds, {})
            protected = requests_per_second(
                f"{server.url}/protected", args.seconds, {"X-API-Key": key}
            )
        finally:
            server.stop()
    ratio = protected / health
    print(f"backend            {args.backend}")
    print(f"GET /health        {health:10.0f} requests/s  ({CONNECTIONS} connections)")
    print(f"GET /protected     {protected:10.0f} requests/s  ({CONNECTIONS} connections)")
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio              {ratio:10.2f}  ({verdict} the target of >= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
