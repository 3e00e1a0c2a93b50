"""API keys: issued once, listed without secrets, verified, revoked, expired."""

import time
from datetime import UTC, datetime, timedelta

import httpx

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, machine


def test_key_is_shown_once_and_listed_without_secret(operator: Operator) -> None:
    app_id = operator.create_app()["id"]
    created = operator.client.post(f"/app/{app_id}/api-key", json={"name": "meter gateway"})
    assert created.status_code == 201
    key = created.json()
    assert key["api_key"].startswith("sk_")
    assert len(key["api_key"]) >= 3 + 43
    assert key["prefix"] == key["api_key"][:12]
    assert key["name"] == "meter gateway"
    assert key["expires_at"] is None
    listed = operator.client.get(f"/app/{app_id}/api-keys")
    assert listed.status_code == 200
    (entry,) = listed.json()
    assert set(entry) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "is_active",
        "scopes",
        "rate_limit",
        "quota",
        "limits",
    }
    assert entry["is_active"] is True
    assert entry["scopes"] == ["uploads:write", "usage:read", "alerts:read"]
    assert (entry["rate_limit"], entry["quota"]) == (None, None)
    assert key["api_key"] not in listed.text
    assert operator.client.post(f"/app/{app_id}/api-key").status_code == 201


def test_verify_and_protected(server: ServerProcess, tenant: Tenant) -> None:
    verified = tenant.machine.post("/verify-key")
    assert verified.status_code == 200
    assert verified.json() == {
        "valid": True,
        "app_id": tenant.app["id"],
        "key_name": "gateway",
        "expires_at": None,
        "scopes": ["uploads:write", "usage:read", "alerts:read"],
    }
    protected = tenant.machine.get("/protected").json()
    assert protected["app_id"] == tenant.app["id"]
    assert protected["key_name"] == "gateway"
    assert protected["message"]
    keys = tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()
    assert keys[0]["last_used_at"] is not None


def test_bad_keys_are_401(server: ServerProcess, tenant: Tenant) -> None:
    forged = "sk_" + "A" * 43
    for headers in (
        {},
        {"X-API-Key": ""},
        {"X-API-Key": "nope"},
        {"X-API-Key": forged},
        {"X-API-Key": tenant.key + "x"},
    ):
        for method, path in (("POST", "/verify-key"), ("GET", "/protected"), ("GET", "/usage")):
            response = httpx.request(method, f"{server.url}{path}", headers=headers)
            assert response.status_code == 401, (headers, path)
            assert "detail" in response.json()


def test_revocation_is_immediate(server: ServerProcess, tenant: Tenant) -> None:
    assert tenant.machine.get("/protected").status_code == 200
    key_id = tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()[0]["id"]
    revoked = tenant.operator.client.delete(f"/app/{tenant.app['id']}/api-key/{key_id}")
    assert revoked.status_code == 204
    assert tenant.machine.get("/protected").status_code == 401
    listed = tenant.operator.client.get(f"/app/{tenant.app['id']}/api-keys").json()
    assert listed[0]["is_active"] is False
    missing = tenant.operator.client.delete(f"/app/{tenant.app['id']}/api-key/key_nothing")
    assert missing.status_code == 404


def test_deleting_the_application_stops_its_keys(tenant: Tenant) -> None:
    assert tenant.machine.get("/protected").status_code == 200
    assert tenant.operator.client.delete(f"/app/{tenant.app['id']}").status_code == 204
    assert tenant.machine.get("/protected").status_code == 401


def test_expiring_keys(server: ServerProcess, operator: Operator) -> None:
    app_id = operator.create_app()["id"]
    soon = datetime.now(UTC) + timedelta(seconds=2)
    key = operator.create_key(app_id, expires_at=soon.isoformat())
    with machine(server.url, key) as client:
        assert client.get("/protected").status_code == 200
        time.sleep(2.5)
        assert client.get("/protected").status_code == 401
    past = operator.client.post(
        f"/app/{app_id}/api-key", json={"expires_at": "2000-01-01T00:00:00Z"}
    )
    assert past.status_code == 422
    assert "future" in past.json()["detail"]
    garbage = operator.client.post(f"/app/{app_id}/api-key", json={"expires_at": "someday"})
    assert garbage.status_code == 422


def test_keys_see_only_their_application(server: ServerProcess, tenant: Tenant) -> None:
    other = tenant.operator.create_app(App_name="Other")
    other_key = tenant.operator.create_key(other["id"])
    with machine(server.url, other_key) as client:
        assert client.get("/protected").json()["app_id"] == other["id"]
        own = tenant.machine.post(
            "/uploads", files={"files": ("a.csv", b"meter_id,timestamp,kwh\nm,2025-01-01,1\n")}
        )
        upload_id = own.json()["uploads"][0]["upload_id"]
        assert client.get(f"/uploads/{upload_id}").status_code == 404
        assert client.get("/usage").json()["items"] == []
