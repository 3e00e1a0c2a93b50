"""Keys that may do only some things, and keys with limits that hold across instances."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.backends import fresh_aws_env, local_env
from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, machine

CSV = b"meter_id,timestamp,kwh\nm-1,2025-01-01T00:00:00Z,1.5\n"


def key(tenant: Tenant, **terms: Any) -> str:
    answer = tenant.operator.client.post(f"/app/{tenant.app['id']}/api-key", json=terms)
    assert answer.status_code == 201, answer.text
    issued = answer.json()
    for name, value in terms.items():
        assert issued[name] == value
    secret: str = issued["api_key"]
    return secret


def test_a_read_only_key_reads_and_cannot_send(server: ServerProcess, tenant: Tenant) -> None:
    with machine(server.url, key(tenant, name="dashboard", scopes=["usage:read"])) as reader:
        refused = reader.post("/uploads", content=CSV, headers={"Content-Type": "text/csv"})
        assert reader.get("/usage").status_code == 200
        assert reader.get("/alerts").json()["code"] == "missing_scope"
        assert reader.post("/verify-key").json()["scopes"] == ["usage:read"]

    assert (refused.status_code, refused.json()["code"]) == (403, "missing_scope")
    assert "uploads:write" in refused.json()["detail"]


def test_a_key_over_its_rate_limit_waits_and_says_so(server: ServerProcess, tenant: Tenant) -> None:
    limited = key(tenant, rate_limit={"requests": 3, "per_seconds": 3600})
    with machine(server.url, limited) as client:
        answers = [client.get("/usage") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0].headers["ratelimit-policy"] == '"rate";q=3;w=3600'
    assert answers[2].headers["ratelimit"].startswith('"rate";r=0;t=')
    refused = answers[3]
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.headers["ratelimit"].startswith('"rate";r=0;')


def test_an_unlimited_key_carries_no_limit_fields(tenant: Tenant) -> None:
    answer = tenant.machine.get("/usage")

    assert "ratelimit" not in answer.headers
    assert "ratelimit-policy" not in answer.headers


def test_a_request_refused_by_the_rate_counts_nothing_against_the_quota(
    server: ServerProcess, tenant: Tenant
) -> None:
    limited = key(
        tenant,
        rate_limit={"requests": 2, "per_seconds": 3600},
        quota={"requests": 5, "period": "day"},
    )
    with machine(server.url, limited) as client:
        answers = [client.get("/meters") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 429, 429]
    assert answers[-1].headers["ratelimit"].startswith('"rate";r=0;')
    assert ', "quota";r=3;t=' in answers[-1].headers["ratelimit"]


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_a_burst_over_two_instances_admits_exactly_the_limit(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "aws":
        env = fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
        servers = [ServerProcess(env=env, log_path=tmp_path / f"{n}.log") for n in (1, 2)]
    else:  # two uvicorn workers on one SQLite file
        env = {**local_env(tmp_path / "data"), "WEB_CONCURRENCY": "2"}
        servers = [ServerProcess(env=env, log_path=tmp_path / "1.log")]
    for server in servers:
        server.start()
    try:
        operator = Operator.register(servers[0].url)
        app = operator.create_app()
        secret = operator.create_key(app["id"], rate_limit={"requests": 10, "per_seconds": 3600})
        urls = [servers[n % len(servers)].url for n in range(40)]
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(
                pool.map(
                    lambda url: (
                        httpx.get(
                            f"{url}/usage", headers={"X-API-Key": secret}, timeout=60
                        ).status_code
                    ),
                    urls,
                )
            )
    finally:
        for server in servers:
            server.stop()

    assert sorted(codes) == [200] * 10 + [429] * 30
