"""Latency of key checks, health and reads while a flood of sign-ins arrives.

Starts a real `python server.py` on the local backend, measures GET /health, /protected (a
valid key) and /usage one after another while quiet, then again while 200 wrong-password
logins and 200 sign-ups arrive at once, and prints the median and the worst of each, with how
the flood was answered. Target (README, Benchmarks): the worst stays under 0.5 s.

    python -m bench.sign_in_flood
"""

import asyncio
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess

FLOOD = 200
PROBES = 30
TARGET_SECONDS = 0.5


async def probe(client: httpx.AsyncClient, key: str) -> dict[str, list[float]]:
    waits: dict[str, list[float]] = {"/health": [], "/protected": [], "/usage": []}
    for _ in range(PROBES):
        for path in waits:
            started = time.monotonic()
            answer = await client.get(path, headers={"X-API-Key": key})
            answer.raise_for_status()
            waits[path].append(time.monotonic() - started)
    return waits


async def flood(client: httpx.AsyncClient, email: str) -> Counter[int]:
    logins = [
        client.post("/auth/login", json={"email": email, "password": f"wrong {n}"})
        for n in range(FLOOD)
    ]
    sign_ups = [
        client.post(
            "/auth/register",
            json={"email": f"flood-{uuid.uuid4().hex}@example.com", "password": "a long password"},
        )
        for _ in range(FLOOD)
    ]
    answers = await asyncio.gather(*logins, *sign_ups)
    return Counter(answer.status_code for answer in answers)


async def measure(server: ServerProcess, operator: Operator, key: str) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=300) as client:
        quiet = await probe(client, key)
        flooding = asyncio.create_task(flood(client, operator.email))
        await asyncio.sleep(0.3)
        busy = await probe(client, key)
        statuses = await flooding
    for path in quiet:
        worst = max(busy[path])
        verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
        print(
            f"{path:<11} quiet median {statistics.median(quiet[path]) * 1000:6.1f} ms   "
            f"flooded median {statistics.median(busy[path]) * 1000:6.1f} ms, "
            f"worst {worst * 1000:6.1f} ms ({verdict} < {TARGET_SECONDS * 1000:.0f} ms)"
        )
    print(f"the flood was answered: {dict(sorted(statuses.items()))}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="wattkey-bench-") as folder:
        scratch = Path(folder)
        server = ServerProcess(env=local_env(scratch / "data"), log_path=scratch / "log").start()
        try:
            operator = Operator.register(server.url)
            key = operator.create_key(operator.create_app()["id"])
            asyncio.run(measure(server, operator, key))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
