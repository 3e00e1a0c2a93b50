"""Every error names itself with a stable `code`, and the route's OpenAPI entry lists it."""

import zlib
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Tenant
from tests.support import ServerProcess

CSV = b"meter_id,timestamp,kwh\nm-1,2025-01-01T00:00:00Z,1.5\n"


@dataclass
class Case:
    name: str
    method: str
    path: str  # `{app}` is the tenant's application id
    route: str  # the OpenAPI path template
    status: int
    code: str
    credentials: str = "key"  # key, token, wrong-key, wrong-token or none
    send: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("no key", "GET", "/uploads", "/uploads", 401, "missing_api_key", "none"),
    Case("wrong key", "GET", "/usage", "/usage", 401, "invalid_api_key", "wrong-key"),
    Case("no token", "GET", "/auth/me", "/auth/me", 401, "missing_token", "none"),
    Case("wrong token", "GET", "/apps", "/apps", 401, "invalid_token", "wrong-token"),
    Case(
        "wrong password",
        "POST",
        "/auth/login",
        "/auth/login",
        401,
        "invalid_credentials",
        "none",
        {"json": {"email": "nobody@example.com", "password": "not the one"}},
    ),
    Case("another's app", "GET", "/app/nope", "/app/{app_id}", 404, "not_found", "token"),
    Case(
        "no such upload",
        "GET",
        "/uploads/nope",
        "/uploads/{upload_id}",
        404,
        "not_found",
    ),
    Case(
        "console upload of no app",
        "GET",
        "/app/nope/uploads/x",
        "/app/{app_id}/uploads/{upload_id}",
        404,
        "not_found",
        "token",
    ),
    Case(
        "forged cursor",
        "GET",
        "/uploads",
        "/uploads",
        400,
        "invalid_cursor",
        send={"params": {"cursor": "garbage"}},
    ),
    Case(
        "cursor of another shape",
        "GET",
        "/usage",
        "/usage",
        400,
        "invalid_cursor",
        send={"params": {"cursor": "a.b.c!~" * 500}},
    ),
    Case(
        "console cursor",
        "GET",
        "/app/{app}/alerts",
        "/app/{app_id}/alerts",
        400,
        "invalid_cursor",
        "token",
        {"params": {"cursor": "e30.x"}},
    ),
    Case(
        "bad limit",
        "GET",
        "/meters",
        "/meters",
        422,
        "validation_failed",
        send={"params": {"limit": 0}},
    ),
    Case(
        "bad summary",
        "GET",
        "/usage/summary",
        "/usage/summary",
        422,
        "validation_failed",
        send={"params": {"interval": "week", "start": "2025-01-01", "end": "2025-02-01"}},
    ),
    Case(
        "html upload",
        "POST",
        "/uploads",
        "/uploads",
        415,
        "unsupported_media_type",
        send={"content": b"<p>", "headers": {"Content-Type": "text/html"}},
    ),
    Case(
        "gzip that is not",
        "POST",
        "/uploads",
        "/uploads",
        400,
        "not_gzip",
        send={
            "content": b"not gzip at all",
            "headers": {"Content-Type": "text/csv", "Content-Encoding": "gzip"},
        },
    ),
    Case(
        "bad idempotency key",
        "POST",
        "/uploads",
        "/uploads",
        422,
        "validation_failed",
        send={
            "content": CSV,
            "headers": {"Content-Type": "text/csv", "Idempotency-Key": "k" * 300},
        },
    ),
    Case(
        "register twice",
        "POST",
        "/auth/register",
        "/auth/register",
        409,
        "email_taken",
        "token",
        {"json": {"email": "{email}", "password": "correct horse"}},
    ),
]


@pytest.fixture(scope="module")
def documented_codes(server: ServerProcess) -> dict[tuple[str, str, int], str]:
    """The OpenAPI description of each route's error status, which names its codes."""
    document = httpx.get(f"{server.url}/openapi.json").json()
    return {
        (method.upper(), path, int(status)): answer.get("description", "")
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_error_has_its_code_and_its_route_documents_it(
    case: Case,
    server: ServerProcess,
    tenant: Tenant,
    documented_codes: dict[tuple[str, str, int], str],
) -> None:
    answer = _send(case, server, tenant)

    assert answer.status_code == case.status, answer.text
    body = answer.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == case.code
    assert body["detail"].endswith("."), body  # a sentence, not a bare name
    assert f"`{case.code}`" in documented_codes[(case.method, case.route, case.status)]


def test_an_idempotency_key_used_for_another_request_is_named(tenant: Tenant) -> None:
    key = {"Idempotency-Key": "batch-7", "Content-Type": "text/csv"}
    assert tenant.machine.post("/uploads", content=CSV, headers=key).status_code == 201

    answer = tenant.machine.post("/uploads", content=CSV + CSV[-30:], headers=key)

    assert (answer.status_code, answer.json()["code"]) == (422, "idempotency_key_reused")


def test_a_method_the_path_does_not_take_is_named(tenant: Tenant) -> None:
    answer = tenant.machine.delete("/uploads")

    assert (answer.status_code, answer.json()["code"]) == (405, "method_not_allowed")
    assert "GET" in answer.headers["Allow"]


def test_a_body_over_the_limit_is_named(tenant: Tenant) -> None:
    packer = zlib.compressobj(wbits=31)  # gzip, packed a megabyte at a time
    chunk = b"0" * 1024 * 1024
    body = b"".join(packer.compress(chunk) for _ in range(600)) + packer.flush()
    # 600 MB decoded: past the default MAX_UPLOAD_BYTES of 512 MiB

    answer = tenant.machine.post(
        "/uploads",
        content=body,
        headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"},
    )

    assert (answer.status_code, answer.json()["code"]) == (413, "too_large")


def _send(case: Case, server: ServerProcess, tenant: Tenant) -> httpx.Response:
    headers = {
        "key": {"X-API-Key": tenant.key},
        "wrong-key": {"X-API-Key": "sk_" + "x" * 43},
        "token": {"Authorization": f"Bearer {tenant.operator.token}"},
        "wrong-token": {"Authorization": "Bearer not-a-token"},
        "none": {},
    }[case.credentials]
    send = dict(case.send)
    if "json" in send and send["json"].get("email") == "{email}":
        send["json"] = {**send["json"], "email": tenant.operator.email}
    headers = {**headers, **send.pop("headers", {})}
    path = case.path.replace("{app}", tenant.app["id"])
    with httpx.Client(base_url=server.url, timeout=60) as client:
        return client.request(case.method, path, headers=headers, **send)
