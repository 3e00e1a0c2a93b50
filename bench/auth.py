"""Authenticated request overhead: GET /protected with a valid key against GET / and /health.

Starts a real `python server.py` (the local backend in a temporary DATA_DIR unless told
otherwise), then loads each route with wrk (16 connections) and prints requests/s, the p99
latency and the ratios. Targets (README, Benchmarks): /protected reaches at least half the
requests/s of /health and 80% of those of / (no I/O at all), with a p99 under 20 ms; a key with
a rate limit and a quota (counted in the store on every request, never reached here) reaches at
least half the requests/s of an unlimited one.

    python -m bench.auth [--seconds 10] [--backend local|aws]

With --backend aws the run starts DynamoDB Local and moto for the server (as `make test` does).
"""

import argparse
import re
import shutil
import subprocess
import sys
from typing import NamedTuple

from bench.environments import BACKENDS, keyed_server
from tests.support import Operator

CONNECTIONS = 16
HEALTH_RATIO = 0.5
ROOT_RATIO = 0.8
P99_MS = 20.0
LIMITED_RATIO = 0.5
# Limits the load never reaches: every request is counted, none refused.
NEVER_REACHED = {
    "rate_limit": {"requests": 1_000_000_000, "per_seconds": 3600},
    "quota": {"requests": 1_000_000_000, "period": "month"},
}
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Load(NamedTuple):
    requests_per_second: float
    p99_ms: float


def load(url: str, seconds: int, headers: dict[str, str]) -> Load:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    if rate is None or p99 is None:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    return Load(float(rate.group(1)), float(p99.group(1)) * UNITS_MS[p99.group(2)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--backend", choices=BACKENDS, default="local")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `scripts/ensure-tool wrk` (Debian) or `brew install wrk`.")
    with keyed_server(args.backend) as (url, key):
        load(f"{url}/protected", 2, {"X-API-Key": key})  # warm up
        root = load(f"{url}/", args.seconds, {})
        health = load(f"{url}/health", args.seconds, {})
        protected = load(f"{url}/protected", args.seconds, {"X-API-Key": key})
        limited = load(f"{url}/protected", args.seconds, {"X-API-Key": limited_key(url)})
    print(f"backend            {args.backend}   ({CONNECTIONS} connections, {args.seconds} s each)")
    for name, measured in (
        ("GET /", root),
        ("GET /health", health),
        ("GET /protected", protected),
        ("... limited key", limited),
    ):
        print(
            f"{name:<18} {measured.requests_per_second:10.0f} requests/s   "
            f"p99 {measured.p99_ms:6.2f} ms"
        )
    for name, ratio, target in (
        ("/protected vs /health", protected.requests_per_second / health.requests_per_second,
         HEALTH_RATIO),
        ("/protected vs /", protected.requests_per_second / root.requests_per_second, ROOT_RATIO),
        ("limited vs unlimited key", limited.requests_per_second / protected.requests_per_second,
         LIMITED_RATIO),
    ):  # fmt: skip
        verdict = "meets" if ratio >= target else "MISSES"
        print(f"{name:<24} {ratio:5.2f}  ({verdict} the target of >= {target})")
    verdict = "meets" if protected.p99_ms <= P99_MS else "MISSES"
    print(f"/protected p99           {protected.p99_ms:5.2f} ms  ({verdict} the target of", end="")
    print(f" <= {P99_MS} ms)")


def limited_key(url: str) -> str:
    operator = Operator.register(url)
    return operator.create_key(operator.create_app()["id"], **NEVER_REACHED)


if __name__ == "__main__":
    main()
