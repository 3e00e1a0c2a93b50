"""A usage summary against paging the same readings: one meter's year of 15-minute readings.

Starts a real `python server.py`, uploads 35,040 readings of one meter (a year of 15-minute
intervals), then times reading them all back through `GET /usage` (pages of 1,000) against one
`GET /usage/summary?interval=day` over the same year (365 buckets), best of three each. Target
(README, Benchmarks): the summary answers at least 20x faster.

    python -m bench.summary [--backend local|aws]
"""

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from bench.environments import BACKENDS, keyed_server
from bench.ingest import finished_report

READINGS = 35_040
RUNS = 3
TARGET = 20
YEAR = {"start": "2025-01-01", "end": "2026-01-01"}


def year_of_quarter_hours() -> bytes:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = (
        f"meter-1,{(start + timedelta(minutes=15 * n)):%Y-%m-%dT%H:%M:%SZ},{n % 37 / 100}\n"
        for n in range(READINGS)
    )
    return ("meter_id,timestamp,kwh\n" + "".join(rows)).encode()


def best_seconds(work: Callable[[], int], expected: int) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        if work() != expected:
            raise SystemExit("a run did not read every reading")
        best = min(best, time.perf_counter() - started)
    return best


def page_through(client: httpx.Client) -> int:
    seen, cursor = 0, None
    while True:
        params = {"meter_id": "meter-1", "limit": "1000", **YEAR}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/usage", params=params)
        body = page.raise_for_status().json()
        seen += len(body["items"])
        if not (cursor := body["next_cursor"]):
            return seen


def summarise(client: httpx.Client) -> int:
    params = {"interval": "day", "meter_id": "meter-1", **YEAR}
    body = client.get("/usage/summary", params=params).raise_for_status().json()
    return sum(bucket["readings"] for bucket in body["buckets"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKENDS, default="local")
    args = parser.parse_args()
    with (
        keyed_server(args.backend) as (url, key),
        httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=300) as client,
    ):
        answer = client.post("/uploads", files={"files": ("y.csv", year_of_quarter_hours())})
        finished_report(client, answer)
        paging = best_seconds(lambda: page_through(client), READINGS)
        summary = best_seconds(lambda: summarise(client), READINGS)
    ratio = paging / summary
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"backend                      {args.backend}")
    print(f"paging /usage (36 pages)     {paging * 1000:8.0f} ms")
    print(f"/usage/summary (365 days)    {summary * 1000:8.0f} ms")
    print(f"ratio                        {ratio:8.1f}x  ({verdict} the target of >= {TARGET}x)")


if __name__ == "__main__":
    main()
