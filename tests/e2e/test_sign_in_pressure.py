"""Sign-in floods and guessing: refused quickly and cheaply, never at the expense of the rest."""

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess, machine, unique_email


@pytest.fixture
def quiet_server(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(env=local_env(tmp_path / "data"), log_path=tmp_path / "log").start()
    yield server
    server.stop()


def test_guessing_one_email_is_refused_for_the_rest_of_the_minute(
    quiet_server: ServerProcess,
) -> None:
    operator = Operator.register(quiet_server.url)
    url = f"{quiet_server.url}/auth/login"
    answers = [
        httpx.post(url, json={"email": operator.email, "password": f"guess {n}"}, timeout=30)
        for n in range(11)
    ]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= 61
    assert "Too many sign-in attempts for this email" in refused.json()["detail"]
    right = httpx.post(url, json={"email": operator.email, "password": "correct horse"})
    assert right.status_code == 429


def test_failures_from_one_address_are_limited_across_emails(quiet_server: ServerProcess) -> None:
    url = f"{quiet_server.url}/auth/token"
    codes = [
        httpx.post(url, data={"username": unique_email(), "password": "x" * 12}).status_code
        for _ in range(31)
    ]
    assert codes == [401] * 30 + [429]


def test_a_flood_of_sign_ups_leaves_keys_health_and_reads_responsive(
    quiet_server: ServerProcess,
) -> None:
    operator = Operator.register(quiet_server.url)
    key = operator.create_key(operator.create_app()["id"])

    async def flood() -> tuple[list[int], list[float]]:
        async with httpx.AsyncClient(base_url=quiet_server.url, timeout=120) as client:
            signing_up = [
                asyncio.create_task(
                    client.post(
                        "/auth/register",
                        json={"email": unique_email(), "password": "a long password"},
                    )
                )
                for _ in range(200)
            ]
            await asyncio.sleep(0.5)
            waits = []
            for path, headers in (("/health", {}), ("/protected", {"X-API-Key": key})) * 5:
                started = time.monotonic()
                assert (await client.get(path, headers=headers)).status_code == 200
                waits.append(time.monotonic() - started)
            answers = await asyncio.gather(*signing_up)
        assert all(a.headers.get("retry-after") == "1" for a in answers if a.status_code == 503)
        return [a.status_code for a in answers], waits

    codes, waits = asyncio.run(flood())
    assert set(codes) <= {201, 503}
    assert codes.count(503) > 0
    # Generous: without its own threads hashing held these for many seconds.
    assert max(waits) < 5.0, waits
    with machine(quiet_server.url, key) as client:
        assert client.get("/usage").status_code == 200
