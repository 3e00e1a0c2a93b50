"""Many uploads at once on one server: every one accepted and kept whole, no file without record."""

import asyncio
from pathlib import Path

import httpx

from tests.e2e.backends import local_env, stored_counts
from tests.support import Operator, ServerProcess

PARALLEL = 60


def test_parallel_inline_uploads_all_land_with_their_records(tmp_path: Path) -> None:
    server = ServerProcess(env=local_env(tmp_path / "data"), log_path=tmp_path / "log").start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app()
        key = operator.create_key(app["id"])

        async def send_all() -> list[httpx.Response]:
            async with httpx.AsyncClient(
                base_url=server.url, headers={"X-API-Key": key}, timeout=120
            ) as client:
                rows = [
                    "meter_id,timestamp,kwh\n"
                    + "".join(f"m{n},2025-01-01T{h:02d}:00:00Z,{h}\n" for h in range(24))
                    for n in range(PARALLEL)
                ]
                return await asyncio.gather(
                    *(
                        client.post("/uploads", files={"files": (f"f{n}.csv", body.encode())})
                        for n, body in enumerate(rows)
                    )
                )

        answers = asyncio.run(send_all())
        assert [a.status_code for a in answers] == [201] * PARALLEL, {
            a.status_code: a.text for a in answers
        }
        counts = stored_counts(server, app["id"])
        assert (counts["uploads"], counts["objects"] // 2, counts["readings"]) == (
            PARALLEL,
            PARALLEL,  # each raw file beside its sha256 sidecar
            PARALLEL * 24,
        )
    finally:
        server.stop()
