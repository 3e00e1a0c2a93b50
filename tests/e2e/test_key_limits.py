"""Keys that may do only some things, and keys with limits that hold across instances."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.backends import fresh_aws_env, local_env
from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, eventually, machine

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
    listed = tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()
    (standing,) = [entry["limits"] for entry in listed if entry["rate_limit"]]
    assert standing[0]["name"] == "rate"
    assert (standing[0]["requests"], standing[0]["remaining"]) == (3, 0)


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


def test_a_rotated_key_keeps_its_terms_and_the_old_one_stops_after_the_grace(
    server: ServerProcess, tenant: Tenant
) -> None:
    terms = {
        "name": "meter hub",
        "scopes": ["uploads:write"],
        "quota": {"requests": 9, "period": "day"},
    }
    old = tenant.operator.client.post(f"/app/{tenant.app['id']}/api-key", json=terms).json()
    rotate = f"/app/{tenant.app['id']}/api-key/{old['id']}/rotate"

    rotated = tenant.operator.client.post(rotate, json={"grace_seconds": 2})

    assert rotated.status_code == 201, rotated.text
    new = rotated.json()
    assert (new["name"], new["scopes"], new["quota"]) == (
        "meter hub",
        ["uploads:write"],
        terms["quota"],
    )
    assert new["api_key"] != old["api_key"]
    with (
        machine(server.url, old["api_key"]) as before,
        machine(server.url, new["api_key"]) as after,
    ):
        assert before.post("/verify-key").status_code == 200  # within the grace
        eventually(lambda: before.post("/verify-key").status_code == 401, timeout=10)
        assert after.post("/verify-key").status_code == 200
    listed = {
        k["id"]: k for k in tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()
    }
    assert listed[old["id"]]["is_active"] is False
    assert tenant.operator.client.post(rotate).json()["code"] == "not_found"


def test_a_rotation_without_grace_stops_the_old_key_at_once(
    server: ServerProcess, tenant: Tenant
) -> None:
    keys = tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()
    rotate = f"/app/{tenant.app['id']}/api-key/{keys[0]['id']}/rotate"
    assert tenant.machine.post("/verify-key").status_code == 200  # cached here now

    assert tenant.operator.client.post(rotate, json={"grace_seconds": 0}).status_code == 201
    assert tenant.machine.post("/verify-key").json()["code"] == "invalid_api_key"
    too_long = tenant.operator.client.post(rotate, json={"grace_seconds": 604_801})
    assert too_long.json()["code"] == "validation_failed"
    not_a_number = tenant.operator.client.post(rotate, json={"grace_seconds": False})
    assert not_a_number.json()["code"] == "validation_failed"


def test_the_audit_log_tells_every_change_newest_first_and_no_secret(
    tenant: Tenant,
) -> None:
    client, app_id = tenant.operator.client, tenant.app["id"]
    client.patch(f"/app/{app_id}", json={"threshold_kwh": 7})
    issued = client.post(f"/app/{app_id}/api-key", json={"name": "spare"}).json()
    client.delete(f"/app/{app_id}/api-key/{issued['id']}")

    first = client.get(f"/app/{app_id}/audit", params={"limit": 2}).json()
    rest = client.get(f"/app/{app_id}/audit", params={"cursor": first["next_cursor"]}).json()

    events = [*first["items"], *rest["items"]]
    assert [e["event"] for e in events] == [
        "key.revoked", "key.created", "app.updated", "key.created", "app.created",
    ]  # fmt: skip
    user_id = client.get("/auth/me").json()["user_id"]
    assert {e["actor"] for e in events} == {f"user:{user_id}"}
    assert events[0]["target"] == issued["id"]
    assert events[1]["details"]["name"] == "spare"
    assert events[2]["details"]["changed"] == ["threshold_kwh"]
    text = str(events)
    assert issued["api_key"] not in text
    assert "key_hash" not in text
    assert client.get(f"/app/{app_id}/audit", params={"cursor": "x.y"}).json()["code"] == (
        "invalid_cursor"
    )


def test_a_key_works_on_the_other_instance_the_moment_it_is_issued(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    env = fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
    first, second = (ServerProcess(env=env, log_path=tmp_path / f"{n}.log") for n in (1, 2))
    first.start()
    second.start()
    try:
        operator = Operator.register(first.url)
        app = operator.create_app()
        secret = operator.create_key(app["id"])
        answer = httpx.post(f"{second.url}/verify-key", headers={"X-API-Key": secret})
    finally:
        first.stop()
        second.stop()

    assert answer.status_code == 200, answer.text
